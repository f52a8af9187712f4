// SPDX-License-Identifier: GPL-2.0-only
/*
 * cxl-raw: send one raw mailbox command from user space, the way a tool
 * would through CXL_MEM_SEND_COMMAND with CXL_MEM_COMMAND_ID_RAW.
 *
 *   cxl-raw /dev/cxl/memN OPCODE [IN_BYTES]
 *
 * The input payload is IN_BYTES zero bytes (default 8: an empty extent
 * list for Add DC Response and Release DC). Prints "ok" and exits 0 when
 * the kernel passed the command to the device, or prints the errno name
 * and exits 1 when the kernel refused it (2 for usage and setup errors).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/cxl_mem.h>

int main(int argc, char **argv)
{
	struct cxl_send_command cmd;
	unsigned char in[4096];
	unsigned long opcode, len = 8;
	int fd;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: %s /dev/cxl/memN OPCODE [IN_BYTES]\n", argv[0]);
		return 2;
	}
	opcode = strtoul(argv[2], NULL, 0);
	if (argc == 4)
		len = strtoul(argv[3], NULL, 0);
	if (opcode > 0xffff || len > sizeof(in)) {
		fprintf(stderr, "%s: bad opcode or payload size\n", argv[0]);
		return 2;
	}
	fd = open(argv[1], O_RDWR);
	if (fd < 0) {
		fprintf(stderr, "%s: %s: %s\n", argv[0], argv[1], strerror(errno));
		return 2;
	}
	memset(in, 0, sizeof(in));
	memset(&cmd, 0, sizeof(cmd));
	cmd.id = CXL_MEM_COMMAND_ID_RAW;
	cmd.raw.opcode = opcode;
	cmd.in.size = len;
	cmd.in.payload = (uintptr_t)in;
	/* No output: the kernel checks the size against the mailbox's. */
	cmd.out.size = 0;
	if (ioctl(fd, CXL_MEM_SEND_COMMAND, &cmd) < 0) {
		printf("%s\n", errno == EPERM ? "EPERM" : strerror(errno));
		close(fd);
		return 1;
	}
	printf("ok retval %u\n", cmd.retval);
	close(fd);
	return 0;
}
