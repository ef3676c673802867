/* The part `record` and `exec --complain` share: a supervisor that sees
 * the workload's calls (sysgate's supervise stage), and the workload,
 * which keeps sysgate's PID. */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "sysgate/supervise.h"

struct watch_run {
	struct cli_watch *w;
	struct {
		uint32_t audit, nr;
	} exits[SG_MAX_ARCHES]; /* exit_group on each ABI of the native group */
	size_t nexits;
};

static void find_exits(struct watch_run *r)
{
	const struct sg_arch *fam[SG_MAX_ARCHES];
	size_t n = sg_arch_family(sg_arch_native(), fam, SG_MAX_ARCHES);
	for (size_t i = 0; i < n && i < SG_MAX_ARCHES; i++)
		if (sg_syscall_nr(fam[i], "exit_group", &r->exits[r->nexits].nr) == 0)
			r->exits[r->nexits++].audit = fam[i]->audit_arch;
}

/* Whether the thread tid belongs to the workload's main process. */
static int in_workload(long workload, uint32_t tid)
{
	char path[64];
	if (tid == (uint32_t)workload)
		return 1;
	snprintf(path, sizeof(path), "/proc/%ld/task/%u", workload, tid);
	return access(path, F_OK) == 0;
}

/* The workload's main process calls exit_group: the command writes its
 * findings now, while the process waits, before its parent can see it end. */
static int is_main_exit(const struct watch_run *r, const struct sg_notification *n)
{
	for (size_t i = 0; i < r->nexits; i++)
		if (n->data.arch == r->exits[i].audit && n->data.nr == r->exits[i].nr)
			return in_workload(r->w->workload, n->pid);
	return 0;
}

static void on_notification(void *ctx, const struct sg_notification *n)
{
	struct watch_run *r = ctx;
	r->w->on_call(r->w->ctx, n);
	/* as PID 1 of a namespace, the workload's end is everyone's: the kernel
	 * kills the supervisor with it, so that is the very end */
	if (is_main_exit(r, n))
		r->w->at_end(r->w->ctx, r->w->workload == 1);
}

static _Noreturn void supervise(struct cli_watch *w, struct sg_supervisor *s)
{
	struct sg_diags d;
	struct watch_run r = { .w = w };
	find_exits(&r);
	sg_diags_init(&d);
	if (sg_supervise_accept(s, w->keep, w->nkeep, &d) == 0) {
		sg_supervise_serve(s, on_notification, &r, &d);
		w->at_end(w->ctx, 1);
	}
	sg_diags_print(&d, stderr);
	fflush(NULL);
	_exit(sg_diags_failed(&d) ? EXIT_OWN : 0);
}

int cli_watch_and_exec(struct cli_watch *w, const struct sg_prog *prog, uint32_t flags, const char *path,
		       char **argv)
{
	struct sg_supervisor s;
	struct sg_diags d;
	sg_diags_init(&d);
	w->workload = getpid();
	fflush(NULL);
	int role = sg_supervise_supported(&d) ? -1 : sg_supervise_start(&s, &d);
	if (role == 0)
		supervise(w, &s);
	if (role > 0 && sg_supervise_load(&s, prog, flags, &d) == 0)
		cli_exec_command(path, argv); /* every call from here on waits for the supervisor */
	sg_diags_print(&d, stderr);
	sg_diags_free(&d);
	return EXIT_OWN;
}
