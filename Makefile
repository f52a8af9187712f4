# The workbench's entry points. Every target calls a script in scripts/;
# the logic lives there (each script has -h).

PROFILE ?= dcd
TESTS ?= *

.PHONY: help check demo deps unpack apply config build initramfs prepare \
	export gates test shell clean distclean debian-patches

help:
	@echo "make demo    boot QEMU's DCD device and narrate what the kernel does with it"
	@echo "make check   every gate and test; ends with 'N passed, N failed, N skipped'"
	@echo "(README.md lists the other targets)"

check:
	@scripts/check.sh

demo: prepare
	@scripts/demo.sh

deps:
	@scripts/deps.sh

unpack:
	@scripts/unpack.sh

apply:
	@scripts/apply.sh

config:
	@scripts/config.sh

build:
	@scripts/build.sh

initramfs:
	@scripts/initramfs.sh

prepare:
	@scripts/prepare.sh

export:
	@scripts/export.sh

gates:
	@scripts/check-series.sh

debian-patches:
	@scripts/debian-patches.sh

test:
	@scripts/run-tests.sh -p "$(PROFILE)" -t "$(TESTS)"

shell:
	@scripts/run-qemu.sh -p "$(PROFILE)" -r shell

clean:
	@scripts/clean.sh

distclean:
	@scripts/clean.sh -a
