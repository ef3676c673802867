/* The kernel ABI's names: see include/sysgate/seccomp.h. */
#include "sysgate/seccomp.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

_Static_assert(SG_ACT_NOTIFY + 1 == SG_NACTIONS, "one entry per action");

const struct sg_action_info sg_actions[SG_NACTIONS] = {
	[SG_ACT_KILL_PROCESS] = { "SCMP_ACT_KILL_PROCESS", SG_RET_KILL_PROCESS, 0 },
	[SG_ACT_KILL_THREAD] = { "SCMP_ACT_KILL_THREAD", SG_RET_KILL_THREAD, 0 },
	[SG_ACT_TRAP] = { "SCMP_ACT_TRAP", SG_RET_TRAP, 0 },
	[SG_ACT_ERRNO] = { "SCMP_ACT_ERRNO", SG_RET_ERRNO, 1 },
	[SG_ACT_TRACE] = { "SCMP_ACT_TRACE", SG_RET_TRACE, 1 },
	[SG_ACT_LOG] = { "SCMP_ACT_LOG", SG_RET_LOG, 0 },
	[SG_ACT_ALLOW] = { "SCMP_ACT_ALLOW", SG_RET_ALLOW, 0 },
	[SG_ACT_NOTIFY] = { "SCMP_ACT_NOTIFY", SG_RET_USER_NOTIF, 0 },
};

int sg_action_lookup(const char *name, enum sg_action_kind *out)
{
	if (strcmp(name, "SCMP_ACT_KILL") == 0) { /* libseccomp's old name for KILL_THREAD */
		*out = SG_ACT_KILL_THREAD;
		return 0;
	}
	for (int k = 0; k < SG_NACTIONS; k++)
		if (strcmp(name, sg_actions[k].name) == 0) {
			*out = (enum sg_action_kind)k;
			return 0;
		}
	return -1;
}

const char *sg_action_kind_name(enum sg_action_kind k)
{
	return (unsigned)k < SG_NACTIONS ? sg_actions[k].name : "?";
}

int sg_action_rank(uint32_t ret)
{
	/* kernel/seccomp.c keeps the action whose ACTION_ONLY is lowest as s32 */
	switch (ret & SG_RET_ACTION_FULL) {
	case SG_RET_KILL_PROCESS: return 0;
	case SG_RET_KILL_THREAD: return 1;
	case SG_RET_TRAP: return 2;
	case SG_RET_ERRNO: return 3;
	case SG_RET_USER_NOTIF: return 4;
	case SG_RET_TRACE: return 5;
	case SG_RET_LOG: return 6;
	case SG_RET_ALLOW: return 7;
	default: return 8;
	}
}

int sg_action_kind_of(uint32_t ret, enum sg_action_kind *out)
{
	for (int k = 0; k < SG_NACTIONS; k++)
		if (sg_actions[k].ret == (ret & SG_RET_ACTION_FULL)) {
			*out = (enum sg_action_kind)k;
			return 0;
		}
	return -1;
}

void sg_action_format(uint32_t ret, char *buf, size_t n)
{
	enum sg_action_kind k;
	if (sg_action_kind_of(ret, &k))
		snprintf(buf, n, "0x%08x", ret);
	else if (sg_actions[k].has_data)
		snprintf(buf, n, "%s(%u)", sg_actions[k].name, ret & SG_RET_DATA);
	else
		snprintf(buf, n, "%s", sg_actions[k].name);
}

const struct sg_flag_info sg_flags[SG_NFLAGS] = {
	{ SG_FLAG_PREFIX "TSYNC", SG_FLAG_TSYNC, 0 },
	{ SG_FLAG_PREFIX "LOG", SG_FLAG_LOG, 0 },
	{ SG_FLAG_PREFIX "SPEC_ALLOW", SG_FLAG_SPEC_ALLOW, 0 },
	{ SG_FLAG_PREFIX "NEW_LISTENER", SG_FLAG_NEW_LISTENER, 1 },
	{ SG_FLAG_PREFIX "TSYNC_ESRCH", SG_FLAG_TSYNC_ESRCH, 1 },
	{ SG_FLAG_PREFIX "WAIT_KILLABLE_RECV", SG_FLAG_WAIT_KILLABLE_RECV, 0 },
};

const char *sg_flag_name(uint32_t flag)
{
	for (size_t i = 0; i < SG_NFLAGS; i++)
		if (sg_flags[i].flag == flag)
			return sg_flags[i].name;
	return "?";
}

int sg_flag_lookup(const char *name, uint32_t *flag)
{
	size_t plen = strlen(SG_FLAG_PREFIX);
	const char *bare = strncasecmp(name, SG_FLAG_PREFIX, plen) == 0 ? name + plen : name;
	for (size_t i = 0; i < SG_NFLAGS; i++)
		if (!sg_flags[i].by_runtime && strcasecmp(bare, sg_flags[i].name + plen) == 0) {
			*flag = sg_flags[i].flag;
			return 0;
		}
	return -1;
}

uint32_t sg_flags_complete(uint32_t flags, int notify, const char *file, struct sg_diags *d)
{
	if (notify) {
		flags |= SG_FLAG_NEW_LISTENER;
		if (flags & SG_FLAG_TSYNC)
			flags |= SG_FLAG_TSYNC_ESRCH;
	} else if (flags & SG_FLAG_WAIT_KILLABLE_RECV) {
		/* libseccomp drops it too */
		flags &= ~SG_FLAG_WAIT_KILLABLE_RECV;
		sg_warning(d, file, NULL, "%s only applies with SCMP_ACT_NOTIFY; dropped",
			   sg_flag_name(SG_FLAG_WAIT_KILLABLE_RECV));
	}
	return flags;
}
