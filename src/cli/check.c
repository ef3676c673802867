/* sysgate check: parse + resolve, then a summary a reviewer can read. */
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sysgate/eval.h"

/* Per arch: each syscall's decision when its arguments are not considered:
 * the first rule naming it decides if unconditional, else it is conditional. */
static int cmp_rule_nr(const void *a, const void *b)
{
	const struct sg_arch_rule *x = *(const struct sg_arch_rule *const *)a, *y = *(const struct sg_arch_rule *const *)b;
	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	return (x > y) - (x < y); /* keep profile order */
}

struct tally {
	uint32_t action;
	size_t count;
};

static void summarise_arch(const struct sg_arch_policy *ap)
{
	const struct sg_arch_rule **byn = malloc((ap->nrules + 1) * sizeof(*byn));
	struct tally t[16];
	size_t nt = 0, syscalls = 0, conditional = 0;
	if (!byn)
		return;
	for (size_t i = 0; i < ap->nrules; i++)
		byn[i] = &ap->rules[i];
	qsort(byn, ap->nrules, sizeof(*byn), cmp_rule_nr);
	for (size_t i = 0; i < ap->nrules;) {
		size_t j = i;
		while (j < ap->nrules && byn[j]->nr == byn[i]->nr)
			j++;
		syscalls++;
		if (byn[i]->nconds) {
			conditional++;
		} else {
			size_t k = 0;
			while (k < nt && t[k].action != byn[i]->action)
				k++;
			if (k == nt && nt < 16)
				t[nt++] = (struct tally){ byn[i]->action, 0 };
			if (k < nt)
				t[k].count++;
		}
		i = j;
	}
	char buf[48];
	printf("  %-12s %zu syscalls:", ap->arch->name, syscalls);
	for (size_t k = 0; k < nt; k++) {
		sg_action_format(t[k].action, buf, sizeof(buf));
		printf(" %s %zu,", buf, t[k].count);
	}
	sg_action_format(ap->default_action, buf, sizeof(buf));
	printf(" argument-dependent %zu; all others %s", conditional, buf);
	if (ap->enosys) /* runc's stub, and the numbers the table leaves free */
		printf(", SCMP_ACT_ERRNO(ENOSYS) above %" PRIu32 " and where unallocated", ap->last_nr);
	printf("\n");
	free(byn);
}

static void summarise(const struct sg_profile *p, const struct sg_policy *pol, const struct sg_resolve_opts *o)
{
	char buf[48];
	sg_action_format(pol->arches[0].default_action, buf, sizeof(buf));
	printf("profile:       %s", p->file);
	if (p->kubernetes)
		printf(" (Kubernetes SeccompProfile%s%s)", p->name ? " " : "", p->name ? p->name : "");
	printf("\n");
	for (size_t i = 0; i < p->nbase_files; i++)
		printf("base:          %s (baseProfileName, merged)\n", p->base_files[i]);
	printf("default:       %s\n", buf);
	printf("architectures:");
	for (size_t i = 0; i < pol->narches; i++)
		printf(" %s", pol->arches[i].arch->name);
	if (o->ntargets)
		printf("  (named with --arch)\n");
	else
		printf("  (%s on %s)\n", p->has_archmap ? "archMap entry" : p->has_architectures ? "listed, plus native" : "native only",
		       o->host->name);
	printf("flags:        ");
	for (size_t i = 0; i < SG_NFLAGS; i++)
		if (pol->flags & sg_flags[i].flag)
			printf(" %s", sg_flags[i].name);
	printf("%s\n", pol->flags ? (p->has_flags ? "" : "  (runc's default: no \"flags\" key)") : " none");
	size_t names = 0;
	for (size_t i = 0; i < p->nrules; i++)
		names += p->rules[i].nnames;
	printf("rules:         %zu naming %zu syscalls; %zu excluded by includes/excludes, %zu same as the default\n",
	       p->nrules, names, pol->rules_excluded, pol->rules_dropped);
	if (p->listener_path)
		printf("listener:      %s\n", p->listener_path);
	for (size_t a = 0; a < pol->narches; a++)
		summarise_arch(&pol->arches[a]);
}

int cmd_check(int argc, char **argv)
{
	struct cli_profile_opts po;
	int rc = cli_profile_args(argc, argv, CLI_HELP_CHECK, &po);
	if (rc >= 0)
		return rc;
	const struct sg_resolve_opts ro = po.resolve;
	if (optind != argc - 1) {
		cli_help(CLI_HELP_CHECK, stderr);
		return EXIT_INVALID;
	}
	const char *file = argv[optind];
	struct sg_diags d;
	struct sg_diag_printer pr; /* diagnostics printed as they come */
	sg_diags_init(&d);
	sg_diag_printer_init(&pr, stderr, 0);
	d.sink = sg_diag_printer_sink;
	d.sink_arg = &pr;
	struct sg_policy *pol = NULL;
	struct sg_profile *p = sg_source_load(file, &po.source, &d);
	if (p)
		pol = sg_resolve(p, &ro, &d);
	if (pol)
		sg_policy_warn_overlaps(pol, &d);
	sg_diag_printer_end(&pr, 1);
	sg_diags_print(&d, stderr); /* what is left: "out of memory" */
	int status = EXIT_INVALID;
	if (pol) {
		summarise(p, pol, &ro);
		status = ro.strict && d.warnings ? EXIT_WARNINGS : EXIT_VALID;
		printf("result:        %s (%zu warning%s)\n", status == EXIT_VALID ? "valid" : "valid, with warnings",
		       d.warnings, d.warnings == 1 ? "" : "s");
	} else {
		printf("result:        invalid (%zu error%s)\n", d.errors, d.errors == 1 ? "" : "s");
	}
	sg_policy_free(pol);
	sg_profile_free(p);
	sg_diags_free(&d);
	return status;
}
