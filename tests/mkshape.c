/* mkshape SHAPE BYTES FILE: writes one of the worst shapes of input
 * (tests/shapes.c) for tests/linear.sh; mkshape --list names them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shapes.h"

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--list") == 0) {
		for (size_t i = 0; i < sg_nshapes; i++)
			printf("%s %s\n", sg_shapes[i].key, sg_shapes[i].commands);
		return 0;
	}
	const struct shape *s = argc == 4 ? sg_shape(argv[1]) : NULL;
	if (!s) {
		fprintf(stderr, "usage: mkshape SHAPE BYTES FILE | mkshape --list\n");
		return 2;
	}
	if (sg_shape_write(s, strtoull(argv[2], NULL, 0), argv[3]) != 0) {
		perror(argv[3]);
		return 1;
	}
	return 0;
}
