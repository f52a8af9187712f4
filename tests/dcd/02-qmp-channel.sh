#!/bin/bash
# The guest reaches its own QEMU's QMP through the host agent, so tests can
# interleave guest steps with host-side steps; QEMU reports the DCD device
# the profile asked for (two DC regions).
. /tests/lib.sh

status=$(qmp query-status | jq -r '.return.status')
expect_eq "$status" running "VM status through the host agent"

path=/machine/peripheral/cxl-dcd0
n=$(qmp qom-get "{\"path\": \"$path\", \"property\": \"num-dc-regions\"}" | jq -r '.return')
expect_eq "$n" 2 "num-dc-regions of $path"

# A bad request comes back as an error, not a hang.
if qmp no-such-command >/dev/null 2>&1; then
	fail "an unknown QMP command was not reported as an error"
fi
say "QMP channel works: status $status, $n DC regions on cxl-dcd0"
