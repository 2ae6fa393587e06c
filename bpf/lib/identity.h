/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The ctx part: who the process is (login uid and session, effective ids,
 * terminal, its pid as its own namespace numbers it, its ancestors). Part
 * of execmon.bpf.c, included after emit.h.
 */
#ifndef EXECMON_LIB_IDENTITY_H
#define EXECMON_LIB_IDENTITY_H

#include "clamp.h"

/*
 * The ctx part is read in two ways from one body, identity_body.h, which
 * is included once for each: for a successful exec, whose task and bprm
 * are typed (tp_btf), with plain loads, a tenth of the cost of a helper
 * call per field; for a failed one, which has no typed task
 * (bpf_get_current_task_btf() is 5.11 on), with CO-RE reads. The body
 * names each field once, through ctx_read() and ctx_copy() (an array,
 * whole), so that the two cannot read different fields.
 */

/*
 * put_exec_ctx_typed(ev, off, task, bprm, flags): the ctx part for a
 * successful exec, at offset off of the event's data; returns its
 * length. Only the pid's numbers, indexed by a level known at run time,
 * which a plain load cannot take, are read with the helper. Static, as
 * the typed arguments must stay typed. Called only with want_ctx.
 */
#define CTX_FN			put_exec_ctx_typed
#define ctx_read(p, field)	((p)->field)
#define ctx_copy(dst, p, field)	__builtin_memcpy(dst, (p)->field, sizeof((p)->field))
#define ctx_secure(bprm)	BPF_CORE_READ_BITFIELD(bprm, secureexec)
#include "identity_body.h"
#undef CTX_FN
#undef ctx_read
#undef ctx_copy
#undef ctx_secure

/*
 * put_exec_ctx(ev, off, task, NULL, flags): the same for a failed exec by
 * task, with CO-RE reads; bprm is NULL, as a failed exec's secureexec was
 * never decided. static, so that its pointer arguments pass 5.10's
 * verifier.
 */
#define CTX_FN			put_exec_ctx
#define ctx_read(p, field)	BPF_CORE_READ(p, field)
#define ctx_copy(dst, p, field)	bpf_core_read(dst, sizeof((p)->field), &(p)->field)
#define ctx_secure(bprm)	0
#include "identity_body.h"
#undef CTX_FN
#undef ctx_read
#undef ctx_copy
#undef ctx_secure

#endif
