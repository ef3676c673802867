/* sysgate exec --complain: the profile's filter with its refusals sent to
 * a supervisor that reports them and lets the calls run (complain.h). For
 * writing a profile, never for confinement. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sysgate/complain.h"
#include "sysgate/divert.h"
#include "sysgate/supervise.h"

struct complain_run {
	struct sg_complain *c;
	const char *out_path; /* --complain-out */
	int out_fd;
	size_t written; /* additions at the last write; (size_t)-1 never */
	int summarised;
	size_t summary_count; /* additions when last summarised */
};

static void on_call(void *ctx, const struct sg_notification *n)
{
	struct complain_run *r = ctx;
	struct sg_diags d;
	char line[512];
	sg_diags_init(&d);
	if (sg_complain_call(r->c, &n->data, n->pid, line, sizeof(line), &d) == 1)
		fprintf(stderr, "sysgate: complain: %s\n", line);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
}

/* The additions, as a profile of ALLOW rules, from the file's start. */
static void write_additions(struct complain_run *r)
{
	const struct sg_learn *add = sg_complain_additions(r->c);
	struct sg_learn_opts o = { SG_LEARN_OCI, NULL };
	struct sg_diags d;
	char *text = NULL;
	size_t len = 0;
	sg_diags_init(&d);
	if (sg_learn_write(add, &o, &text, &len, &d) == 0 && cli_write_profile(r->out_fd, r->out_path, 1, text, len) == 0)
		r->written = sg_learn_count(add);
	free(text);
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
}

static void at_end(void *ctx, int last)
{
	struct complain_run *r = ctx;
	if (r->out_fd >= 0 && sg_learn_count(sg_complain_additions(r->c)) != r->written)
		write_additions(r);
	/* at the main process's end; again at the very end if descendants that
	 * outlived it were refused more */
	size_t now = sg_learn_count(sg_complain_additions(r->c));
	if (!r->summarised || (last && now != r->summary_count)) {
		char buf[1200];
		sg_complain_summary(r->c, buf, sizeof(buf));
		fprintf(stderr, "sysgate: complain: %s\n", buf);
		r->summarised = 1;
		r->summary_count = now;
	}
}

int cli_exec_complain(const struct cli_built *b, uint32_t bad_arch_action, uint32_t flags, const char *out_path,
		      const char *path, char **argv)
{
	const struct sg_arch *fam[SG_MAX_ARCHES];
	size_t n = sg_arch_family(sg_arch_native(), fam, SG_MAX_ARCHES);
	struct complain_run r = { .out_path = out_path, .out_fd = -1, .written = (size_t)-1 };
	struct sg_prog diverted = { 0 };
	struct sg_diags d;
	int status = EXIT_OWN;
	sg_diags_init(&d);
	int created = 0;
	struct stat out_st, in_st;
	if (out_path && b->profile && stat(out_path, &out_st) == 0 && stat(b->profile->file, &in_st) == 0 &&
	    out_st.st_dev == in_st.st_dev && out_st.st_ino == in_st.st_ino)
		sg_error(&d, NULL, NULL, "--complain-out %s is the profile itself: the additions would replace it "
					 "(write them apart, then `sysgate merge`)", out_path);
	else if (out_path && (r.out_fd = cli_open_output(out_path, &created)) < 0)
		sg_error(&d, NULL, NULL, "--complain-out cannot be written");
	else if (sg_divert(&b->prog, fam, n < SG_MAX_ARCHES ? n : SG_MAX_ARCHES, &diverted, &d) == 0 &&
		 !(r.c = sg_complain_new(&b->prog, b->policy, bad_arch_action)))
		sg_oom(&d, NULL);
	sg_diags_print(&d, stderr);
	if (!sg_diags_failed(&d)) {
		struct cli_watch w = { .on_call = on_call, .at_end = at_end, .ctx = &r, .keep = { 2, r.out_fd },
				       .nkeep = r.out_fd >= 0 ? 2 : 1 };
		status = cli_watch_and_exec(&w, &diverted, flags & ~SG_FLAG_NEW_LISTENER, path, argv);
	}
	if (created) /* only failures return: nothing ran */
		unlink(out_path);
	sg_diags_free(&d);
	sg_complain_free(r.c);
	sg_prog_free(&diverted);
	if (r.out_fd >= 0)
		close(r.out_fd);
	return status;
}
