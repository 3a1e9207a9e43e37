/*
 * readers.c - the readers of a suppression pattern, their proofs in restricted views, their
 * audits and the repair loop (see readers.h).
 */
#include "readers.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>

#include "growarray.h"

int readers_init(struct readers *R, size_t ncells, int coalition)
{
	memset(R, 0, sizeof *R);
	R->group = malloc((ncells + 1) * sizeof *R->group);
	R->pos = malloc((ncells + 1) * sizeof *R->pos);
	R->earlier = calloc(ncells + 1, 1);
	R->twin = malloc((ncells + 1) * sizeof *R->twin);
	R->nsets = coalition >= 2 ? 3 : 2;
	if (!R->group || !R->pos || !R->earlier || !R->twin ||
	    readers_add(R, READER_OUTSIDER, "outsider", SIZE_MAX, NULL, 0, NULL, 0)) {
		readers_release(R);
		return -1;
	}
	for (size_t c = 0; c <= ncells; c++)
		R->twin[c] = SIZE_MAX;
	return 0;
}

void readers_release(struct readers *R)
{
	if (R == NULL)
		return;
	free(R->r);
	free(R->cells);
	free(R->group);
	free(R->pos);
	free(R->earlier);
	free(R->twin);
	memset(R, 0, sizeof *R);
}

int readers_add(struct readers *R, unsigned kind, const char *who, size_t known_cell,
		const size_t *cells, size_t n, const size_t *focus, size_t nfocus)
{
	struct reader *x;
	if (grow_array((void **)&R->r, &R->alloc, R->n + 1, sizeof *R->r) ||
	    grow_array((void **)&R->cells, &R->cells_alloc, R->ncells + n + nfocus + 1,
		       sizeof *R->cells))
		return -1;
	x = &R->r[R->n++];
	x->kind = kind;
	snprintf(x->who, sizeof x->who, "%s", who);
	x->known_cell = known_cell;
	x->first = R->ncells;
	x->n = n;
	if (n)
		memcpy(R->cells + R->ncells, cells, n * sizeof *cells);
	R->ncells += n;
	x->ga = x->gb = SIZE_MAX;
	x->focus_first = R->ncells;
	x->focus_n = nfocus;
	if (nfocus)
		memcpy(R->cells + R->ncells, focus, nfocus * sizeof *focus);
	R->ncells += nfocus;
	return 0;
}

/* Per group g, its cells in cell order: (*cells)[(*start)[g] .. (*start)[g + 1]). 0 or -1. */
static int group_index(const struct readers *R, size_t ncells, size_t **start, size_t **cells)
{
	size_t *st = calloc(R->ngroups + 2, sizeof *st), *gc = malloc((ncells + 1) * sizeof *gc);

	*start = st;
	*cells = gc;
	if (!st || !gc)
		return -1;
	for (size_t c = 0; c < ncells; c++)
		st[R->group[c] + 1]++;
	for (size_t g = 0; g < R->ngroups; g++)
		st[g + 1] += st[g];
	/* st[g] is where g's next cell goes, so that it ends at g's end: shifted back */
	for (size_t c = 0; c < ncells; c++)
		gc[st[R->group[c]]++] = c;
	for (size_t g = R->ngroups; g > 0; g--)
		st[g] = st[g - 1];
	st[0] = 0;
	return 0;
}

int readers_add_insiders(struct readers *R, size_t ncells, const char *const *names,
			 int coalition)
{
	size_t *buf = malloc((2 * ncells + 1) * sizeof *buf), np = R->ngroups - 1;
	size_t *gstart = NULL, *gcell = NULL;
	int rc = -1;
	/* a pair knows all one of its areas knows, and for three areas or more each area's cells
	   are audited by a pair without it; with one area there is no pair, with two the pair
	   knows both: each area alone too (coalition 2 over one area had no insider at all, and a
	   return's cells pinned by its own data lead were published, QA) */
	int singles = coalition <= 1 || np <= 2;

	if (!buf || group_index(R, ncells, &gstart, &gcell))
		goto out;
	for (size_t i = 0; i < np; i++) {
		char who[48];
		size_t n = gstart[i + 1] - gstart[i];
		if (singles) {
			snprintf(who, sizeof who, "insider %s", names[i]);
			if (readers_add(R, READER_INSIDER, who, SIZE_MAX, gcell + gstart[i], n, NULL, 0))
				goto out;
			R->r[R->n - 1].ga = i;
		}
		if (coalition <= 1)
			continue;
		memcpy(buf, gcell + gstart[i], n * sizeof *buf);
		for (size_t j = i + 1; j < np; j++) {
			size_t m = gstart[j + 1] - gstart[j];
			memcpy(buf + n, gcell + gstart[j], m * sizeof *buf);
			snprintf(who, sizeof who, "insider %s+%s", names[i], names[j]);
			if (readers_add(R, READER_INSIDER, who, SIZE_MAX, buf, n + m, NULL, 0))
				goto out;
			R->r[R->n - 1].ga = i;
			R->r[R->n - 1].gb = j;
		}
	}
	rc = 0;
out:
	free(buf);
	free(gstart);
	free(gcell);
	return rc;
}

/*
 * What a singleton is not audited on, by cell (the scratch array up): not exempt (0); a total
 * over a cell the person is in, whose rest it learns as any total less itself (ABOVE); a
 * cell it learns from itself alone, pinned at 0 by its own table or a total of what it knows
 * and what is published (SELF); a total that is, to it, a nested total and what it knows,
 * audited as that nested total is (NESTED: see add_singletons_knowing).
 */
enum exempt { EXEMPT_NO = 0, EXEMPT_ABOVE, EXEMPT_SELF, EXEMPT_NESTED };

/*
 * The totals over queue[0..nq) (marked in up): those of the relations each is in, then theirs,
 * ...; appended to queue, each once. Returns the new nq.
 */
static size_t climb_totals(const struct sdc_problem *p, const struct audit_index *ix,
			   unsigned char *up, size_t *queue, size_t nq)
{
	for (size_t h = 0; h < nq; h++) {
		const size_t *rel;
		size_t nr = audit_index_relations(ix, queue[h], &rel);
		for (size_t k = 0; k < nr; k++) {
			const size_t *m;
			size_t nm, t = sdc_relation(p, rel[k], &m, &nm);
			if (!up[t]) {
				up[t] = EXEMPT_ABOVE;
				queue[nq++] = t;
			}
		}
	}
	return nq;
}

/* The cells a singleton in cell c may be audited on, into buf: with dominated, the other cells
   of its area's group (its insider audits the rest); else every cell. Returns how many. */
static size_t singleton_candidates(const struct readers *R, size_t c, int dominated,
				   size_t ncells, const size_t *gstart, const size_t *gcell,
				   size_t *buf)
{
	size_t nf = 0;
	if (dominated && R->group[c] != R->ngroups - 1) {
		nf = gstart[R->group[c] + 1] - gstart[R->group[c]];
		memcpy(buf, gcell + gstart[R->group[c]], nf * sizeof *buf);
	} else {
		for (size_t x = 0; x < ncells; x++)
			buf[nf++] = x;
	}
	return nf;
}

/* Whether a total singleton learns cell c from itself alone (see add_singletons_knowing): it
   knows it (down), its own table pins it at 0 or it is such a total (up 2), it is published,
   or it is a structural 0. */
static int self_learned(const struct sdc_problem *p, const unsigned char *supp,
			const unsigned char *down, const unsigned char *up, size_t c)
{
	return down[c] || up[c] == EXEMPT_SELF || !supp[c] || sdc_cell_state(p, c) == SDC_EMPTY;
}

/*
 * Whether the total of relation outer is, to a total singleton, the total of the relation
 * inner nested in it (inner's parts among outer's) and what it learns from itself alone:
 * outer's other parts (all categories: Categories 1-3, and its Category 4, which it knows).
 * mark: all 0, left so.
 */
static int nested_own(const struct sdc_problem *p, const unsigned char *supp,
		      const unsigned char *down, const unsigned char *up, size_t outer, size_t inner,
		      unsigned char *mark)
{
	const size_t *m1, *m2;
	size_t nm1, nm2, k = 0;

	(void)sdc_relation(p, inner, &m2, &nm2);
	(void)sdc_relation(p, outer, &m1, &nm1);
	for (size_t j = 0; j < nm2; j++)
		mark[m2[j]] = 1;
	while (k < nm1 && (mark[m1[k]] || self_learned(p, supp, down, up, m1[k])))
		k++;
	for (size_t j = 0; j < nm2; j++)
		mark[m2[j]] = 0;
	return k == nm1;
}

/*
 * Drops the singletons from R->r[first] on whose cell another of them knows (the same person,
 * who knows more: the person alone in an inner cell of 1 under a total of 1, or in a cell of 1
 * the rules put under another, is the one alone there). What each knows is the closure of its
 * cell under the same rules, so the other knows all it knows, is exempt wherever it is, and
 * narrows every cell it is audited on at least as far: the narrower reader's other failures
 * are what that person knows (QA: the person alone in the first publication's
 * managedAtLevel23 3/2 of an area of 0s, moved to 3/3 by a revision, 'learned' that the
 * returnedToCustody 1-3/all now of 1 was 1, which is itself; the revision was refused). Of
 * readers knowing as much, the first stays. 0 or -1 (out of memory).
 */
static int drop_dominated(struct readers *R, size_t first, size_t ncells)
{
	size_t *best = malloc((ncells + 1) * sizeof *best), w = first;

	if (!best)
		return -1;
	for (size_t c = 0; c < ncells; c++)
		best[c] = SIZE_MAX;
	for (size_t i = first; i < R->n; i++)
		for (size_t k = 0; k < R->r[i].n; k++) {
			size_t c = R->cells[R->r[i].first + k];
			if (best[c] == SIZE_MAX || R->r[i].n > R->r[best[c]].n)
				best[c] = i;
		}
	for (size_t i = first; i < R->n; i++)
		if (best[R->r[i].known_cell] == i)
			R->r[w++] = R->r[i];
	R->n = w;
	free(best);
	return 0;
}

/*
 * The person alone in a suppressed total of 1 (a national cell, or an area's total) knows more
 * than the person in the inner cell of 1 under it: that every other part of the total is 0.
 * The total was taken as known through its inner cell (QA: the person in a national
 * managedAtLevel23 category 3 level 3 of 1 pinned national category 3 level 2 at [2, 2],
 * 3 published less itself, which its inner cell alone does not give). Such a reader knows the
 * total and every cell below it: the parts of each relation it is the total of, theirs, and so
 * on, and each total of parts it knows (all 0 or 1, and the person knows where it is): the
 * cells of its own table, as the person in an inner cell knows that cell; and with
 * R->rules_known, those of another table that an inequality puts below them (its own
 * returnedToCustody under its managedAtLevel23), for it and for the person in an inner cell
 * of 1 alike, both then made here (add_singletons_knowing). It is audited on every cell it
 * does not know but three kinds: the totals over what it knows (whose rest it learns as the
 * inner singleton does: a total over Categories 1-4, withheld for Category 4, is known to
 * the person alone in Category 4); what a published inequality puts at or below a 0 it
 * knows, and the totals over that (pinned at 0 by its own table, whatever is published); and,
 * with rules_known 0, the figures of an earlier publication (R->earlier; with the rules known
 * it is audited on every publication's figures, and knows its own history, R->twin, the
 * copies of its 1s that are 1 in another publication too). On the whole system (ga: the
 * nation, unless what it knows is all in its area's group).
 * total, up, buf, queue: scratch of ncells + 1 (total marks the relations' totals, up is
 * all 0; each cell is queued once, up marks it). 0 or -1 (out of memory).
 */
static int add_singletons_knowing(struct readers *R, const struct sdc_problem *p,
				const unsigned char *supp, const unsigned char *only, int dominated,
				const unsigned char *total,
				unsigned char *up, size_t *buf, size_t *queue, const size_t *gstart,
				const size_t *gcell, const struct audit_index *ix)
{
	size_t ncells = sdc_problem_ncells(p), nrel = sdc_nrelations(p), nleq = sdc_nleq(p);
	size_t first = R->n, nat = R->ngroups - 1, *known = NULL, *zero = NULL, nz = 0;
	size_t *nest = NULL, nnest = 0, nest_alloc = 0; /* pairs: outer, inner relation */
	size_t *below = NULL, *below_a = NULL; /* the inequalities by their greater cell */
	unsigned char *down = NULL, *mark = NULL, *seed = NULL;
	int rc = -1;

	int any = 0, revision = 0;

	for (size_t c = 0; c < ncells && !revision; c++)
		revision = R->earlier[c];
	for (size_t c = 0; c < ncells && !any; c++)
		any = (only ? only[c] : supp[c]) && (total[c] || R->rules_known) &&
		      sdc_cell_state(p, c) != SDC_EMPTY &&
		      sdc_cell_value(p, c) == 1;
	if (!any)
		return 0; /* none: nothing to allocate */
	known = malloc((ncells + 1) * sizeof *known);
	zero = malloc((ncells + 1) * sizeof *zero);
	down = calloc(ncells + 1, 1);
	mark = calloc(ncells + 1, 1);
	seed = calloc(ncells + 1, 1);
	below = calloc(ncells + 2, sizeof *below);
	below_a = malloc((nleq + 1) * sizeof *below_a);
	if (!known || !zero || !down || !mark || !seed || !below || !below_a)
		goto out;
	/* a <= b by b, in the inequalities' order: below_a[below[b] .. below[b + 1]) */
	for (size_t i = 0; i < nleq; i++) {
		size_t a, b;
		sdc_leq(p, i, &a, &b);
		below[b + 2]++;
	}
	for (size_t c = 0; c < ncells; c++)
		below[c + 2] += below[c + 1];
	for (size_t i = 0; i < nleq; i++) {
		size_t a, b;
		sdc_leq(p, i, &a, &b);
		below_a[below[b + 1]++] = a;
	}
	/* the relations nested in another, found through the inner one's first part */
	for (size_t r2 = 0; r2 < nrel; r2++) {
		const size_t *m2, *rl;
		size_t nm2, nr;
		(void)sdc_relation(p, r2, &m2, &nm2);
		if (nm2 == 0)
			continue;
		for (size_t k = 0; k < nm2; k++)
			mark[m2[k]] = 1;
		nr = audit_index_relations(ix, m2[0], &rl);
		for (size_t q = 0; q < nr; q++) {
			const size_t *m1;
			size_t nm1, t1 = sdc_relation(p, rl[q], &m1, &nm1), hit = 0;
			if (rl[q] == r2 || t1 == m2[0] || nm1 <= nm2)
				continue;
			for (size_t k = 0; k < nm1; k++)
				hit += mark[m1[k]];
			if (hit < nm2)
				continue;
			if (grow_array((void **)&nest, &nest_alloc, 2 * nnest + 2, sizeof *nest)) {
				for (size_t k = 0; k < nm2; k++)
					mark[m2[k]] = 0;
				goto out;
			}
			nest[2 * nnest] = rl[q];
			nest[2 * nnest++ + 1] = r2;
		}
		for (size_t k = 0; k < nm2; k++)
			mark[m2[k]] = 0;
	}
	/* the totals of structurally empty parts, 0 to everyone: known from the start, so that a
	   total over them and what a singleton knows is known too */
	for (size_t r = 0; r < nrel; r++) {
		const size_t *m;
		size_t nm, t = sdc_relation(p, r, &m, &nm), k = 0;
		while (k < nm && sdc_cell_state(p, m[k]) == SDC_EMPTY)
			k++;
		if (k == nm && !down[t]) {
			down[t] = 1;
			seed[t] = 1;
			zero[nz++] = t;
		}
	}
	for (size_t z = 0; z < nz; z++)
		down[zero[z]] = 0;
	for (size_t c = 0; c < ncells; c++) {
		size_t nk = 0, nq = 0, nf = 0, w = 0, ga;
		int inner = !total[c], widened = 0;
		/* rules 0: the person alone in an earlier total of 1 is audited as the one in the
		   inner cell of 1 under it (the narrower model, see readers.h) */
		if (!(only ? only[c] : supp[c]) || (!R->rules_known && (inner || R->earlier[c])) ||
		    sdc_cell_state(p, c) == SDC_EMPTY || sdc_cell_value(p, c) != 1)
			continue;
		/* below c: the parts of each relation a known cell is the total of, and the total
		   of a relation whose parts it all knows (category 1-3 under all, of a person
		   alone in all: it knows its category); each known cell visited once, when it
		   becomes known, which is when either can start to hold */
		down[c] = 1;
		known[nk++] = c;
		for (size_t z = 0; z < nz; z++)
			if (!down[zero[z]]) {
				down[zero[z]] = 1;
				known[nk++] = zero[z];
			}
		for (size_t h = 0; h < nk; h++) {
			const size_t *rel;
			size_t nr = audit_index_relations(ix, known[h], &rel);
			/* its own history: the same figure in another publication, 1 there
			   too (QA: the person alone in Sussex's first managedAtLevel23 4/3 of 1
			   was taken not to know that its returnedToCustody 4/3 now is 0, as the
			   person alone in the same cell now does, and 'pinned' the withheld
			   returnedToCustody all/3 now at 9, the published 1-3/3). Of an inner
			   cell only: a total of 1 in both may hold another person in each (QA: a
			   revision that took Cleveland's one person out of 3/2 and put another in
			   3/3, every total 1 in both, was published as one person moving, and
			   each then pinned the other's cells at [1, 1]) */
			for (size_t t = R->twin[known[h]];
			     R->rules_known && !total[known[h]] && t != SIZE_MAX && t != known[h];
			     t = R->twin[t])
				if (!down[t]) {
					down[t] = 1;
					known[nk++] = t;
					widened = 1;
				}
			/* what a published inequality puts below a cell it knows: a subset of it
			   (its eligible and returnedToCustody under its managedAtLevel23), so the
			   person knows whether it is in it, 1 or 0 (QA: the person alone in Gwent's
			   managedAtLevel23 2/2 knew its eligible 2/2 was 0 and, from a published
			   eligible 2/1 of 197 and 2/all of 198, pinned the eligible 2/3 of 1). In
			   its own publication: the person alone in an earlier publication's cell
			   knows that publication's cells below it (and its cells now, when the
			   same: own history) */
			for (size_t i = below[known[h]]; i < below[known[h] + 1] && R->rules_known;
			     i++) {
				size_t a = below_a[i];
				if (!down[a] && sdc_cell_state(p, a) != SDC_EMPTY) {
					down[a] = 1;
					known[nk++] = a;
					widened = 1;
				}
			}
			for (size_t q = 0; q < nr; q++) {
				const size_t *m;
				size_t nm, t = sdc_relation(p, rel[q], &m, &nm), k = 0;
				if (t == known[h]) {
					for (k = 0; k < nm; k++)
						if (!down[m[k]]) {
							down[m[k]] = 1;
							known[nk++] = m[k];
						}
					continue;
				}
				if (down[t])
					continue;
				while (k < nm && (down[m[k]] || sdc_cell_state(p, m[k]) == SDC_EMPTY))
					k++;
				if (k == nm) {
					down[t] = 1;
					known[nk++] = t;
				}
			}
		}
		/* above the person: the totals over the cells it knows that hold it (its 1s: the
		   total and the parts down to its inner cell), which it knows it is in, as the
		   inner singleton does (a total over Categories 1-4 is withheld for Category 4,
		   which the person alone in Category 4 knows). Not over a 0 it knows, nor over a
		   structural 0, known to all: it is not in those (QA: with every total over the
		   not-applicable eligible 3/1 left out, the person alone in West Midlands'
		   managedAtLevel23 2/all of 1 pinned its eligible 3/all, a 1, at [1, 2]) */
		for (size_t h = 0; h < nk; h++)
			if (sdc_cell_value(p, known[h]) > 0) {
				up[known[h]] = EXEMPT_ABOVE;
				queue[nq++] = known[h];
			}
		nq = climb_totals(p, ix, up, queue, nq);
		/* and what it learns from itself alone: what a published inequality puts at or
		   below a 0 it knows (its own returnedToCustody under a managedAtLevel23 of 0: 0
		   by its own table), and a total whose every part it knows, is so pinned, is a
		   structural 0 or is published (the all-categories total over its Category 4 of
		   0: what is published and what it knows, nothing of anyone else). Not a part of
		   such a total: that is the insider's deduction, audited */
		for (int more = 1; more;) {
			more = 0;
			for (size_t i = 0; i < nleq; i++) {
				size_t a, b;
				sdc_leq(p, i, &a, &b);
				if ((down[b] || up[b] == EXEMPT_SELF) && !down[a] &&
				    (!up[a] || up[a] == EXEMPT_NESTED) && sdc_cell_value(p, b) == 0) {
					if (!up[a])
						queue[nq++] = a;
					up[a] = EXEMPT_SELF;
					more = 1;
				}
			}
			for (size_t r = 0; r < nrel; r++) {
				const size_t *m;
				size_t nm, t = sdc_relation(p, r, &m, &nm), k = 0;
				if (down[t] || up[t] == EXEMPT_ABOVE || up[t] == EXEMPT_SELF)
					continue;
				while (k < nm && self_learned(p, supp, down, up, m[k]))
					k++;
				if (k == nm) {
					if (!up[t])
						queue[nq++] = t;
					up[t] = EXEMPT_SELF;
					more = 1;
				}
			}
			/* and a total that is, to it, a nested total and what it knows: learned
			   from itself alone when that total is, else as that total is, which is
			   audited on its own (a withheld all-categories total over its Category 4,
			   whose Categories 1-3 total was withheld in a revision: 3 is not a part
			   of another total's closure) */
			for (size_t q = 0; q < nnest; q++) {
				const size_t *m, *m2;
				size_t nm, nm2, t = sdc_relation(p, nest[2 * q], &m, &nm);
				size_t t2 = sdc_relation(p, nest[2 * q + 1], &m2, &nm2);
				if ((down[t] || up[t] == EXEMPT_ABOVE || up[t] == EXEMPT_SELF) ||
				    !nested_own(p, supp, down, up, nest[2 * q], nest[2 * q + 1], mark))
					continue;
				if (self_learned(p, supp, down, up, t2)) {
					if (!up[t])
						queue[nq++] = t;
					up[t] = EXEMPT_SELF;
					more = 1;
				} else if (!up[t]) {
					up[t] = EXEMPT_NESTED;
					queue[nq++] = t;
				}
			}
		}
		nf = singleton_candidates(R, c, dominated, ncells, gstart, gcell, buf);
		for (size_t i = 0; i < nf; i++)
			if (!up[buf[i]] && !down[buf[i]] &&
			    (inner || R->rules_known || !R->earlier[buf[i]]))
				buf[w++] = buf[i];
		for (size_t h = 0; h < nq; h++)
			up[queue[h]] = 0;
		/* the person in an inner cell knows cells of its area only, as a rule (a
		   restricted view of its area stands for it); else the whole system */
		ga = inner ? R->group[c] : nat;
		for (size_t h = 0; h < nk; h++) {
			if (R->group[known[h]] != ga && !seed[known[h]])
				ga = nat; /* a total of structural zeros is 0 in every view */
			down[known[h]] = 0;
		}
		if (w == 0 || (R->rules_known == 2 && !widened && (inner || !revision)))
			continue; /* nothing it does not know already, or nothing the rules add */
		if (readers_add(R, READER_SINGLETON, "singleton", c, known, nk, buf, w))
			goto out;
		R->r[R->n - 1].ga = ga;
	}
	/* with the rules known every singleton is made here: the same person once */
	if (R->rules_known && drop_dominated(R, first, ncells))
		goto out;
	rc = 0;
out:
	free(known);
	free(zero);
	free(nest);
	free(below);
	free(below_a);
	free(down);
	free(mark);
	free(seed);
	return rc;
}

/*
 * A singleton is the one person in a suppressed inner cell of 1 (a cell that is no
 * relation's total: the person in a total of 1 is also alone in an inner cell of it). It
 * knows that cell. What it learns about a total that holds its own cell is that total less
 * itself, and every other cell of that total is audited on its own: the totals over its cell
 * are not audited for it (otherwise a withheld total over Categories 1-4 would count as
 * disclosed to the person in its Category 4 cell, who learns nothing but the published total
 * over 1-3 plus itself).
 *
 * A reader who knows more deduces at least as much: every interval of a singleton in an
 * area's cell contains the interval that area's insider gets, and the policy's rule is
 * monotone under that inclusion (always, but for an interval [0,0] passing while [0,1]
 * fails, possible only with published zeros and minWidth above 1). So where the insider of
 * its area is audited (dominated), a singleton's audit needs only the cells that insider
 * knows: the other cells of its own area.
 */
int readers_add_singletons(struct readers *R, const struct sdc_problem *p,
			   const unsigned char *supp, const unsigned char *only, int dominated)
{
	size_t ncells = sdc_problem_ncells(p), nrel = sdc_nrelations(p);
	unsigned char *total = calloc(ncells + 1, 1), *up = calloc(ncells + 1, 1);
	size_t *buf = malloc((ncells + 1) * sizeof *buf), *queue = malloc((ncells + 1) * sizeof *queue);
	size_t *gstart = NULL, *gcell = NULL;
	struct audit_index *ix = NULL;
	int rc = -1;

	if (!total || !up || !buf || !queue || group_index(R, ncells, &gstart, &gcell) ||
	    audit_index_new(p, &ix, NULL) != SDC_OK)
		goto out;
	for (size_t r = 0; r < nrel; r++) {
		const size_t *m;
		size_t k;
		total[sdc_relation(p, r, &m, &k)] = 1;
	}
	for (size_t c = 0; c < ncells && !R->rules_known; c++) {
		size_t nf = 0, w = 0, nq = 0;
		if (!(only ? only[c] : supp[c]) || total[c] || sdc_cell_state(p, c) == SDC_EMPTY ||
		    sdc_cell_value(p, c) != 1)
			continue;
		/* the totals over c: those of the relations it is in, then theirs, ... */
		up[c] = EXEMPT_ABOVE;
		queue[nq++] = c;
		nq = climb_totals(p, ix, up, queue, nq);
		nf = singleton_candidates(R, c, dominated, ncells, gstart, gcell, buf);
		for (size_t i = 0; i < nf; i++)
			if (!up[buf[i]])
				buf[w++] = buf[i];
		for (size_t h = 0; h < nq; h++)
			up[queue[h]] = 0;
		if (w == 0)
			continue; /* nothing it does not know already */
		if (readers_add(R, READER_SINGLETON, "singleton", c, &c, 1, buf, w))
			goto out;
		R->r[R->n - 1].ga = R->group[c];
	}
	if (add_singletons_knowing(R, p, supp, only, dominated, total, up, buf, queue, gstart, gcell,
				   ix))
		goto out;
	rc = 0;
out:
	audit_index_free(ix);
	free(total);
	free(up);
	free(buf);
	free(queue);
	free(gstart);
	free(gcell);
	return rc;
}

/*
 * Proofs that save most readers' LPs. A reader who knows more deduces at least as much, so a
 * cell that passes in a restricted view - every cell outside a few areas and the nation fixed
 * at its true value, as if published - passes for every reader whose knowledge lies outside
 * those areas (the rule is monotone when minWidth is 1 or zeros are protected). For each group
 * g (an area, or the nation) there are nsets disjoint sets of partner areas, those sharing
 * most suppressed positions with g; the restricted view j of g frees g, the nation and the
 * areas of set j. A cell of g that passes in view j is proven for every insider (or pair) with
 * no area in set j: with coalition c there are c + 1 sets, and c areas miss one of them. A
 * singleton in g is proven in view 0 or 1 with every cell it knows fixed. What is not proven
 * is audited on the whole system, so the answer is the same as without the proofs, only
 * cheaper.
 */
#define PROOF_PARTNERS 8

struct proofs {
	size_t *set;		/* [g][j][k]: partner group, SIZE_MAX unused */
	unsigned char *pass;	/* [j][cell]: passes in view j of its group */
	unsigned char *spass;	/* per entry of a singleton's focus list in readers.cells: passes
				   in view 0 or 1 of its group with every cell it knows known */
	unsigned char *viewed;	/* per reader: a singleton of an area, audited in its area's
				   views 0 and 1 */
	unsigned char *pass2;	/* [k][cell], k 0 .. nsets (proofs_second): passes on the whole
				   system with every area of class k known; NULL without insiders */
	size_t *gstart, *gcell;	/* the cells of each group (group_index) */
	struct audit_index *ix;	/* the relations of each cell, for the views' and the second
				   proofs' LPs; NULL when nothing is proven */
	size_t n;		/* cells */
};

static void proofs_release(struct proofs *P)
{
	free(P->set);
	free(P->pass);
	free(P->spass);
	free(P->viewed);
	free(P->pass2);
	free(P->gstart);
	free(P->gcell);
	audit_index_free(P->ix);
	memset(P, 0, sizeof *P);
}

static int proof_in_set(const struct readers *R, const struct proofs *P, size_t g, size_t j,
			size_t area)
{
	const size_t *set = P->set + (g * R->nsets + j) * PROOF_PARTNERS;
	if (area == SIZE_MAX)
		return 0;
	for (size_t k = 0; k < PROOF_PARTNERS; k++)
		if (set[k] == area)
			return 1;
	return 0;
}

/*
 * The class of an area other than g for g's second proofs: the partner set it is in, or
 * nsets, every other area.
 */
static size_t area_class(const struct readers *R, const struct proofs *P, size_t g, size_t area)
{
	for (size_t j = 0; j < R->nsets; j++)
		if (proof_in_set(R, P, g, j, area))
			return j;
	return R->nsets;
}

/* Where cell c is in reader x's focus list (sorted: cell order), or SIZE_MAX. */
static size_t focus_index(const struct readers *R, const struct reader *x, size_t c)
{
	const size_t *f = R->cells + x->focus_first;
	size_t lo = 0, hi = x->focus_n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->focus_n && f[lo] == c ? lo : SIZE_MAX;
}

/* Whether cell c is proven to pass for reader i. */
static int proven(const struct readers *R, const struct proofs *P, size_t i, size_t c)
{
	const struct reader *x = &R->r[i];
	size_t g, npass = 0, k;
	if (!P->set || !R->group)
		return 0;
	g = R->group[c];
	if (x->kind == READER_SINGLETON)
		return P->viewed[i] && (k = focus_index(R, x, c)) != SIZE_MAX &&
		       P->spass[x->focus_first + k];
	for (size_t j = 0; j < R->nsets; j++)
		npass += P->pass[j * P->n + c] != 0;
	/* the outsider knows less than every view's reader: a pass in any view will do */
	if (npass == 0 || x->kind == READER_OUTSIDER)
		return npass > 0;
	if (x->kind != READER_INSIDER)
		return 0;
	/* the partner sets are disjoint: an insider is in at most one of them per area */
	if (npass > (x->gb != SIZE_MAX ? 2u : 1u))
		return 1;
	for (size_t j = 0; j < R->nsets; j++)
		if (P->pass[j * P->n + c] && !proof_in_set(R, P, g, j, x->ga) &&
		    !proof_in_set(R, P, g, j, x->gb))
			return 1;
	/* the second proof of its class: every area of the class known, itself among them */
	if (P->pass2 && x->ga != g && x->gb != g) {
		size_t cls = area_class(R, P, g, x->ga);
		if ((x->gb == SIZE_MAX || area_class(R, P, g, x->gb) == cls) &&
		    P->pass2[cls * P->n + c])
			return 1;
	}
	return 0;
}

/* Chooses the partner sets of every group from the suppressed positions. */
static int proofs_sets(const struct sdc_problem *p, const struct readers *R,
		       const unsigned char *supp, size_t ncells, struct proofs *P)
{
	size_t ng = R->ngroups, np = ng - 1, K = R->nsets * PROOF_PARTNERS;
	unsigned char *at = calloc(ng * R->npos + 1, 1);
	size_t *score = malloc((np + 1) * sizeof *score), *order = malloc((K + 1) * sizeof *order);
	size_t *qs = malloc((R->npos + 1) * sizeof *qs);
	int rc = -1;

	P->set = malloc((ng * K + 1) * sizeof *P->set);
	if (!at || !score || !order || !qs || !P->set)
		goto out;
	/* 1: suppressed; 3: suppressed and above 0 (a partner that can go down as g goes up) */
	for (size_t c = 0; c < ncells; c++)
		if (supp[c] && R->pos[c] != SIZE_MAX)
			at[R->group[c] * R->npos + R->pos[c]] =
				sdc_cell_value(p, c) > 0 ? 3 : 1;
	for (size_t g = 0; g < ng; g++) {
		size_t n = 0, nq = 0, *set = P->set + g * K;
		for (size_t k = 0; k < K; k++)
			set[k] = SIZE_MAX;
		/* the positions g has suppressed: a partner scores on those only */
		for (size_t q = 0; q < R->npos; q++)
			if (at[g * R->npos + q])
				qs[nq++] = q;
		for (size_t h = 0; nq && K && h < np; h++) {
			size_t sc = 0, k;
			if (h == g)
				continue;
			for (size_t i = 0; i < nq; i++)
				sc += at[h * R->npos + qs[i]];
			if (sc == 0)
				continue;
			score[h] = sc;
			/*
			 * the K best by score, then group order (the same input, the same sets): h
			 * goes after every partner that scores as much, and when the K places are
			 * taken the last one leaves
			 */
			if (n == K && score[order[K - 1]] >= sc)
				continue;
			k = n < K ? n++ : K - 1;
			while (k > 0 && score[order[k - 1]] < sc) {
				order[k] = order[k - 1];
				k--;
			}
			order[k] = h;
		}
		for (size_t k = 0; k < n; k++)
			set[(k % R->nsets) * PROOF_PARTNERS + k / R->nsets] = order[k];
	}
	rc = 0;
out:
	free(at);
	free(score);
	free(order);
	free(qs);
	return rc;
}

/*
 * Two shares of the work at once. The proofs of the groups and the readers' audits are
 * independent of one another, so proofs_build and readers_audit split them in two by index
 * (groups, then readers: even and odd), one share in a second thread. Each share makes its
 * own sessions, since GLPK's problems belong to the thread that made them, and runs its own
 * items in their order: what it solves, and so the LPs it counts, do not depend on timing,
 * and the answers are the ones a single share would give (a cell fails only by its own LPs,
 * whatever the warm start). The same input and policy give the same pattern and count.
 */

/* The shares for n items: as many as R allows, and not more than there are items. */
static size_t shares_for(const struct readers *R, size_t n)
{
	size_t k = R->shares == 0 || R->shares > READERS_SHARES ? READERS_SHARES : R->shares;

	return n < k ? (n ? n : 1) : k;
}

struct thread_arg {
	int (*fn)(void *);
	void *arg;
};

static void *thread_main(void *p)
{
	struct thread_arg *t = p;

	audit_thread_begin();
	(void)t->fn(t->arg);
	audit_thread_end();
	return NULL;
}

/* fn on each of n shares (at most READERS_SHARES), the last ones in threads of their own; in
   this thread, one after the other, where no thread can be started. */
static void run_shares(int (*fn)(void *), void *shares, size_t size, size_t n)
{
	struct thread_arg t[READERS_SHARES];
	pthread_t th[READERS_SHARES];
	int started[READERS_SHARES] = { 0 };

	for (size_t k = 1; k < n && k < READERS_SHARES; k++) {
		t[k].fn = fn;
		t[k].arg = (char *)shares + k * size;
		started[k] = pthread_create(&th[k], NULL, thread_main, &t[k]) == 0;
	}
	(void)fn(shares);
	for (size_t k = 1; k < n && k < READERS_SHARES; k++) {
		if (started[k])
			(void)pthread_join(th[k], NULL);
		else
			(void)fn((char *)shares + k * size);
	}
}

/* A share's diagnostics, moved to d. */
static void take_diags(struct diag_list *d, struct diag_list *from)
{
	/* an error keeps its errno: out of memory in a share is the machine's, exit 70 (it was
	   moved without it, and mappa-audit under ulimit -v said "A01 out of memory" and 65) */
	for (size_t k = 0; k < from->count; k++) {
		const struct diag *it = &from->items[k];
		if (it->errnum)
			(void)diag_add_errno(d, it->file, it->rule, it->errnum, "%s", it->message);
		else
			(void)diag_add(d, it->file, it->line, it->rule, it->severity, "%s",
				       it->message);
	}
	/* and one it could not keep (out of memory) */
	if (from->count == 0 && diag_errnum(from))
		(void)diag_add_errno(d, NULL, "S02", diag_errnum(from), "%s", "out of memory");
	diag_clear(from);
}

/* What every share has: its items are first, first + step, ... (groups or readers). */
struct share {
	const struct sdc_problem *real;
	const unsigned char *supp, *sensitive;
	const struct readers *R;
	const struct audit_options *aopt;
	size_t first, step;
	size_t lp_base, budget, n_lp;	/* it stops once it has spent its share of what is left
					   (share_spent) */
	int rc;				/* 0, 1 the work budget is spent, -1 error in d */
	struct diag_list d;
};

/* Share k of n (the caller sets lp_base). */
static void share_init(struct share *b, const struct sdc_problem *real, const unsigned char *supp,
		       const unsigned char *sensitive, const struct readers *R,
		       const struct audit_options *aopt, size_t first, size_t n, size_t budget)
{
	b->real = real;
	b->supp = supp;
	b->sensitive = sensitive;
	b->R = R;
	b->aopt = aopt;
	b->first = first;
	b->step = n;
	b->budget = budget;
}

/*
 * Whether share b has spent its part of the LPs left when the shares began: (budget - lp_base)
 * split evenly among the step shares. Each share counts its own, so the answer does not depend
 * on timing; with each share checking lp_base + its own LPs against the whole budget, two
 * shares spent it twice (a coalition-2 policy: 55,832 LPs for a budget of 30,000, QA).
 */
static int share_spent(const struct share *b)
{
	return b->lp_base > b->budget || b->n_lp > (b->budget - b->lp_base) / b->step;
}

/* After run_shares: their LPs added to *n_lp, the first failing share's diagnostics moved to
   d (as one share alone would have stopped there: the others may have found the same error);
   -1 when one failed, 1 when one spent the budget, else 0. */
static int shares_end(void *shares, size_t size, size_t n, size_t *n_lp, struct diag_list *d)
{
	int rc = 0;

	for (size_t k = 0; k < n; k++) {
		struct share *b = (struct share *)(void *)((char *)shares + k * size);
		*n_lp += b->n_lp;
		if (b->rc < 0 && rc >= 0) {
			rc = -1;
			take_diags(d, &b->d);
		} else if (b->rc > 0 && rc == 0)
			rc = 1;
		diag_clear(&b->d);
	}
	return rc;
}

/* One share of proofs_build: the groups first, first + step, ... */
struct proof_share {
	struct share b;			/* first: run_shares and shares_end see it */
	const unsigned char *want;
	size_t views;			/* the partner sets made a view: R->nsets, or the first */
	const struct audit_index *ix;
	struct proofs *P;		/* it writes the entries of its groups' cells only */
	const unsigned char *ofail;	/* proofs_second: the outsider's failures */
};

static int proof_share_run(void *arg)
{
	struct proof_share *s = arg;
	const struct readers *R = s->b.R;
	struct proofs *P = s->P;
	size_t n = sdc_problem_ncells(s->b.real), nat = R->ngroups - 1;
	unsigned char *sub = calloc(n + 1, 1), *focus = calloc(n + 1, 1);
	unsigned char *ing = calloc(R->ngroups + 1, 1);
	size_t *list = malloc((n + 1) * sizeof *list);

	s->b.rc = -1;
	if (!sub || !focus || !ing || !list) {
		sdc_error(&s->b.d, "out of memory");
		goto out;
	}
	for (size_t g = s->b.first; g < R->ngroups && !share_spent(&s->b);
	     g += s->b.step) {
		for (size_t j = 0; s->want[g] && j < s->views; j++) {
			struct audit_session *sess = NULL;
			struct audit_result res;
			const size_t *set = P->set + (g * R->nsets + j) * PROOF_PARTNERS;
			size_t nl = 0;
			/* the groups the view frees: g, the nation and the partners of set j */
			memset(ing, 0, R->ngroups);
			ing[g] = ing[nat] = 1;
			for (size_t k = 0; k < PROOF_PARTNERS; k++)
				if (set[k] != SIZE_MAX)
					ing[set[k]] = 1;
			for (size_t c = 0; c < n; c++) {
				size_t h = R->group[c];
				sub[c] = s->b.supp[c] && ing[h];
				if (sub[c] && h == g && s->b.sensitive[c]) {
					focus[c] = 1;
					list[nl++] = c;
				}
			}
			if (nl == 0)
				continue;
			if (audit_session_new_indexed(s->b.real, sub, s->b.aopt, s->ix, &sess, &s->b.d) !=
			    SDC_OK)
				goto out;
			if (audit_session_run(sess, NULL, 0, focus, &res, &s->b.d) != SDC_OK) {
				audit_session_free(sess);
				goto out;
			}
			s->b.n_lp += res.n_lp;
			for (size_t k = 0; k < res.n; k++)
				P->pass[j * n + res.cells[k].cell] = (unsigned char)res.cells[k].pass;
			audit_result_release(&res);
			for (size_t k = 0; k < nl; k++)
				focus[list[k]] = 0;
			/* the singletons of g, each with every cell it knows known: not its own
			   cell alone, when the published rules tell it more (a proof that fixed
			   only its cell let a failure through: test_readers). In view 0, then in
			   view 1 for what view 0 did not prove: an LP of a view costs less than
			   one of the whole system (the fixtures: 2.7% fewer instructions) */
			for (size_t i = 0; j < 2 && g != nat && i < R->n; i++) {
				const struct reader *x = &R->r[i];
				size_t kc = x->kind == READER_SINGLETON ? R->cells[x->first] : 0, m = 0;
				if (!P->viewed[i] || x->ga != g || !sub[kc])
					continue;
				/* not a cell of g that fails in this view already: knowing kc too,
				   the singleton deduces at least as much, so it fails for it as well
				   (the view audited g's cells only; another group's are in the other
				   share's views, and are asked here) */
				for (size_t k = 0; k < x->focus_n; k++) {
					size_t c = R->cells[x->focus_first + k];
					if (sub[c] && s->b.sensitive[c] && c != kc &&
					    (j == 0 || !P->spass[x->focus_first + k]) &&
					    (R->group[c] != g || P->pass[j * n + c])) {
						focus[c] = 1;
						list[m++] = c;
					}
				}
				if (m == 0)
					continue;
				if (audit_session_run(sess, R->cells + x->first, x->n, focus, &res, &s->b.d) != SDC_OK) {
					audit_session_free(sess);
					goto out;
				}
				s->b.n_lp += res.n_lp;
				for (size_t k = 0; k < res.n; k++) {
					size_t at = focus_index(R, x, res.cells[k].cell);
					if (at != SIZE_MAX)
						P->spass[x->focus_first + at] =
							(unsigned char)res.cells[k].pass;
				}
				audit_result_release(&res);
				for (size_t k = 0; k < m; k++)
					focus[list[k]] = 0;
			}
			audit_session_free(sess);
		}
	}
	s->b.rc = 0;
out:
	free(ing);
	free(sub);
	free(focus);
	free(list);
	return 0;
}

/* Whether only singletons' audits are asked of R: the outsider passes, and no insider. */
static int singletons_only(const struct readers *R)
{
	for (size_t i = 0; i < R->n && R->outsider_passes; i++)
		if (R->r[i].kind == READER_INSIDER)
			return 0;
	return R->outsider_passes;
}

/*
 * The restricted views: fills P (P->set NULL when no proof is possible, and then nothing is
 * proven).
 */
static int proofs_build(const struct sdc_problem *real, const unsigned char *supp,
			const struct readers *R, const struct audit_options *aopt,
			const unsigned char *sensitive, const unsigned char *want,
			struct proofs *P, size_t *n_lp, size_t budget, struct diag_list *d)
{
	size_t n = sdc_problem_ncells(real), nshares;
	struct proof_share sh[READERS_SHARES];
	int rc = -1;

	memset(P, 0, sizeof *P);
	memset(sh, 0, sizeof sh);
	P->n = n;
	if (!R->group || R->ngroups < 2 || (aopt->flags & AUDIT_EXACT) ||
	    !audit_monotone(aopt))
		return 0;
	P->viewed = malloc(R->n + 1);
	if (!P->viewed)
		goto nomem;
	for (size_t i = 0; i < R->n; i++)
		P->viewed[i] = R->r[i].kind == READER_SINGLETON && R->r[i].ga != R->ngroups - 1;
	P->pass = calloc(R->nsets * n + 1, 1);
	P->spass = calloc(R->ncells + 1, 1);
	if (!P->pass || !P->spass || proofs_sets(real, R, supp, n, P) ||
	    group_index(R, n, &P->gstart, &P->gcell))
		goto nomem;
	for (size_t i = 0; i < R->n; i++)
		if (R->r[i].kind == READER_INSIDER) {
			P->pass2 = calloc((R->nsets + 1) * n + 1, 1);
			if (!P->pass2)
				goto nomem;
			break;
		}
	/* each view builds its LP from the relations that hold its cells only */
	if (audit_index_new(real, &P->ix, d) != SDC_OK)
		goto out;
	nshares = shares_for(R, R->ngroups);
	for (size_t k = 0; k < nshares; k++) {
		struct proof_share *s = &sh[k];
		share_init(&s->b, real, supp, sensitive, R, aopt, k, nshares, budget);
		s->b.lp_base = *n_lp;
		s->want = want;
		s->views = singletons_only(R) ? 1 : R->nsets;
		s->ix = P->ix;
		s->P = P;
	}
	run_shares(proof_share_run, sh, sizeof sh[0], nshares);
	rc = shares_end(sh, sizeof sh[0], nshares, n_lp, d) < 0 ? -1 : 0;
	goto out;
nomem:
	sdc_error(d, "out of memory");
out:
	if (rc)
		proofs_release(P);
	return rc;
}

/*
 * The second proofs, for the insiders no view proves a cell for. A view frees a few areas
 * and proves a cell for every insider outside them; the insiders of the view's own partner
 * set are left to the LPs of the whole system, one each (on the fixtures, 84 cells passed one
 * view and failed the other: 8 insiders' LPs each, 672 of the 725 the insiders solved). So
 * the areas other than g are put in classes, each partner set and then every other area, and
 * a cell no view proves for a class is audited once on the whole system with every area of
 * the class known: a cell that passes there passes for each insider of the class (or pair
 * in it), who knows less. A cell that fails for the outsider fails for everyone: not asked.
 */
static int second_share_run(void *arg)
{
	struct proof_share *s = arg;
	const struct readers *R = s->b.R;
	struct proofs *P = s->P;
	size_t n = sdc_problem_ncells(s->b.real), nat = R->ngroups - 1;
	unsigned char *focus = calloc(n + 1, 1);
	size_t *list = malloc((n + 1) * sizeof *list), *known = malloc((n + 1) * sizeof *known);
	struct audit_session *sess = NULL;

	s->b.rc = -1;
	if (!focus || !list || !known) {
		sdc_error(&s->b.d, "out of memory");
		goto out;
	}
	for (size_t g = s->b.first; g < R->ngroups && !share_spent(&s->b);
	     g += s->b.step) {
		for (size_t k = 0; s->want[g] && k <= R->nsets; k++) {
			struct audit_result res;
			size_t nl = 0, nk = 0;
			for (size_t q = P->gstart[g]; q < P->gstart[g + 1]; q++) {
				size_t c = P->gcell[q], j = 0;
				if (!s->b.supp[c] || !s->b.sensitive[c] || s->ofail[c])
					continue;
				/* proven for class k by a view that frees none of its areas */
				while (j < R->nsets && (j == k || !P->pass[j * n + c]))
					j++;
				if (j == R->nsets) {
					focus[c] = 1;
					list[nl++] = c;
				}
			}
			for (size_t h = 0; nl && h < nat; h++)
				if (h != g && area_class(R, P, g, h) == k)
					for (size_t q = P->gstart[h]; q < P->gstart[h + 1]; q++)
						known[nk++] = P->gcell[q];
			if (nl && nk) {
				if (!sess && audit_session_new_indexed(s->b.real, s->b.supp, s->b.aopt,
								       s->ix, &sess,
								       &s->b.d) != SDC_OK)
					goto out;
				if (audit_session_run(sess, known, nk, focus, &res, &s->b.d) != SDC_OK)
					goto out;
				s->b.n_lp += res.n_lp;
				for (size_t q = 0; q < res.n; q++)
					P->pass2[k * n + res.cells[q].cell] =
						(unsigned char)res.cells[q].pass;
				audit_result_release(&res);
			}
			for (size_t q = 0; q < nl; q++)
				focus[list[q]] = 0;
		}
	}
	s->b.rc = 0;
out:
	/* GLPK's problems are freed by the thread that made them */
	audit_session_free(sess);
	free(focus);
	free(list);
	free(known);
	return 0;
}

/* The second proofs (above), when P has room for them (then its index is made): after the
   outsider's audit. */
static int proofs_second(const struct sdc_problem *real, const unsigned char *supp,
			 const struct readers *R, const struct audit_options *aopt,
			 const unsigned char *sensitive, const unsigned char *want,
			 const unsigned char *ofail, struct proofs *P, size_t *n_lp, size_t budget,
			 struct diag_list *d)
{
	size_t nshares = shares_for(R, R->ngroups);
	struct proof_share sh[READERS_SHARES];

	if (!P->pass2)
		return 0;
	memset(sh, 0, sizeof sh);
	for (size_t k = 0; k < nshares; k++) {
		struct proof_share *s = &sh[k];
		share_init(&s->b, real, supp, sensitive, R, aopt, k, nshares, budget);
		s->b.lp_base = *n_lp;
		s->want = want;
		s->ix = P->ix; /* proofs_build's: the same relations */
		s->P = P;
		s->ofail = ofail;
	}
	run_shares(second_share_run, sh, sizeof sh[0], nshares);
	return shares_end(sh, sizeof sh[0], nshares, n_lp, d) < 0 ? -1 : 0;
}

/* One share of readers_audit: the readers first, first + step, ... */
struct reader_share {
	struct share b;			/* first: run_shares and shares_end see it */
	struct readers_failures own_all;	/* an insider's national cells that hold only its
						   own people (insider_holds_all), in reader order */
	const unsigned char *recheck;
	const unsigned char *ofail;	/* the outsider's failures (written before the shares) */
	const struct proofs *P;
	const struct readers_failures *prev;
	const size_t *cand;		/* the cells a reader without a focus list may audit */
	size_t ncand;
	struct audit_session *sess;	/* made by the share's thread when first needed */
	unsigned char *focus, *own;	/* its scratch: per cell, zero between readers */
	size_t *list, p;		/* and its place in prev */
	struct readers_failures F;	/* its readers' failures, in reader order */
};

/*
 * What insider x holds of cell c: an area's cell its own value when it is one of x's areas, else
 * 0; a national cell the sum of its parts' in the first relation it is the total of (the
 * areas' cells, or where a bundle publishes no area total over every category, the national
 * parts: its total over Categories 1-3 and its Category 4). -1 when a national cell has no
 * parts, or past depth levels. Scans the relations: asked only of a failure.
 */
static int64_t insider_own_part(const struct sdc_problem *real, const struct readers *R,
				const struct reader *x, size_t c, int depth)
{
	size_t nat = R->ngroups - 1, nrel = sdc_nrelations(real);

	if (R->group[c] != nat)
		return R->group[c] == x->ga || R->group[c] == x->gb ? sdc_cell_value(real, c) : 0;
	if (depth <= 0)
		return -1;
	for (size_t r = 0; r < nrel; r++) {
		const size_t *m;
		size_t nm;
		int64_t own = 0;
		if (sdc_relation(real, r, &m, &nm) != c || nm == 0)
			continue;
		for (size_t k = 0; k < nm && own >= 0; k++) {
			int64_t part = insider_own_part(real, R, x, m[k], depth - 1);
			own = part < 0 ? -1 : own + part;
		}
		if (own >= 0)
			return own;
	}
	return -1;
}

/*
 * Whether the failure of insider x on cell c at [ilo, ihi] is only the insider finding its
 * own people: c is a national figure that it finds equal to its own part, so every other
 * area's part is 0 to it. It learns no one else's figure: what it learns about another area's
 * cell is that cell's own interval, audited for it. (A late return holding the only people of
 * a national figure published 0 without it was refused: its data lead found the national
 * figure [2, 2], its own 2, QA.) The singletons of its areas know less and are audited on c
 * instead (readers_audit).
 */
static int insider_holds_all(const struct sdc_problem *real, const struct readers *R,
			     const struct reader *x, const struct audit_options *aopt, size_t c,
			     int64_t ilo, int64_t ihi)
{
	int64_t own = x->kind == READER_INSIDER && R->group[c] == R->ngroups - 1
		      ? insider_own_part(real, R, x, c, 6) : -1;

	return own > 0 && ilo == own && ihi == own && audit_passes(aopt, c, 0, 0);
}

/*
 * Audits reader i of share s, adding its failures to s->F. The outsider (reader 0, before
 * the shares run) also marks its failures in ofail and may keep its whole result in
 * *outsider. 0 or -1 (the reason in s->b.d).
 */
static int audit_reader(struct reader_share *s, size_t i, unsigned char *ofail,
			struct audit_result *outsider)
{
	const struct readers *R = s->b.R;
	const struct reader *x = &R->r[i];
	const unsigned char *supp = s->b.supp, *sensitive = s->b.sensitive, *recheck = s->recheck;
	const struct readers_failures *prev = s->prev;
	unsigned char *focus = s->focus, *own = s->own;
	size_t ncells = sdc_problem_ncells(s->b.real), *list = s->list;
	struct audit_result res;
	int any = 0, r;

	for (size_t k = 0; k < x->n; k++)
		any |= supp[R->cells[x->first + k]];
	if (x->kind != READER_OUTSIDER && !any)
		return 0; /* knows nothing suppressed: sees what the outsider sees */
	if (!s->sess && audit_session_new(s->b.real, supp, s->b.aopt, &s->sess, &s->b.d) != SDC_OK)
		return -1;
	if (!recheck && x->kind == READER_OUTSIDER && outsider != NULL) {
		/* every cell's interval, for the caller */
		r = audit_session_run(s->sess, NULL, 0, NULL, &res, &s->b.d);
	} else {
		size_t nl = 0, w = 0;
		if (!recheck && x->focus_n) {
			/* the sensitive cells it does not know */
			for (size_t k = 0; k < x->focus_n; k++)
				if (sensitive[R->cells[x->focus_first + k]])
					list[nl++] = R->cells[x->focus_first + k];
		} else if (!recheck && x->kind == READER_OUTSIDER) {
			/* every suppressed cell */
			for (size_t c = 0; c < ncells; c++)
				if (supp[c])
					list[nl++] = c;
		} else if (!recheck) {
			/* the sensitive ones */
			memcpy(list, s->cand, s->ncand * sizeof *list);
			nl = s->ncand;
		} else {
			/* only what can have changed: the new cells and this reader's failures */
			for (size_t k = 0; k < x->focus_n; k++)
				own[R->cells[x->focus_first + k]] = 1;
			for (size_t k = 0; k < s->ncand; k++) {
				size_t c = s->cand[k];
				if ((!x->focus_n || own[c]) && !focus[c] &&
				    (x->kind == READER_OUTSIDER || sensitive[c])) {
					focus[c] = 1;
					list[nl++] = c;
				}
			}
			for (; s->p < prev->n && prev->f[s->p].reader <= i; s->p++)
				if (prev->f[s->p].reader == i && !focus[prev->f[s->p].cell]) {
					focus[prev->f[s->p].cell] = 1;
					list[nl++] = prev->f[s->p].cell;
				}
			/*
			 * and the outsider's: a reader who knew nothing suppressed last round was
			 * not audited then (it saw what the outsider saw), and a cell that failed
			 * for the outsider fails for every reader that does not know it
			 */
			for (size_t q = 0; i > 0 && q < prev->n && prev->f[q].reader == 0; q++)
				if (!focus[prev->f[q].cell] && (!x->focus_n || own[prev->f[q].cell]) &&
				    sensitive[prev->f[q].cell]) {
					focus[prev->f[q].cell] = 1;
					list[nl++] = prev->f[q].cell;
				}
			for (size_t k = 0; k < x->focus_n; k++)
				own[R->cells[x->focus_first + k]] = 0;
			for (size_t k = 0; k < nl; k++)
				focus[list[k]] = 0;
		}
		/*
		 * What a restricted view proves needs no LP of the whole system; a cell that fails
		 * for the outsider this round fails for every reader who does not know it (it is
		 * repaired for the outsider, and the next round rechecks it for every reader).
		 */
		for (size_t k = 0; k < nl; k++)
			if (!s->ofail[list[k]] && !proven(R, s->P, i, list[k]))
				list[w++] = list[k];
		nl = w;
		if (nl == 0)
			return 0;
		for (size_t k = 0; k < nl; k++)
			focus[list[k]] = 1;
		r = audit_session_run(s->sess, x->kind == READER_OUTSIDER ? NULL
				      : R->cells + x->first, x->n, focus, &res, &s->b.d);
		for (size_t k = 0; k < nl; k++)
			focus[list[k]] = 0;
	}
	if (r != SDC_OK)
		return -1;
	s->b.n_lp += res.n_lp;
	for (size_t j = 0; j < res.n; j++) {
		const struct audit_cell *ac = &res.cells[j];
		struct readers_failures *to = &s->F;
		struct readers_failure *f;
		if (ac->pass)
			continue;
		if (insider_holds_all(s->b.real, R, x, s->b.aopt, ac->cell, ac->ilo, ac->ihi))
			to = &s->own_all;
		if (grow_array((void **)&to->f, &to->alloc, to->n + 1, sizeof *to->f)) {
			audit_result_release(&res);
			sdc_error(&s->b.d, "out of memory");
			return -1;
		}
		f = &to->f[to->n++];
		f->reader = i;
		f->cell = ac->cell;
		f->ilo = ac->ilo;
		f->ihi = ac->ihi;
		f->exact = ac->exact;
	}
	if (x->kind == READER_OUTSIDER && ofail)
		for (size_t j = 0; j < res.n; j++)
			ofail[res.cells[j].cell] = !res.cells[j].pass;
	if (x->kind == READER_OUTSIDER && outsider)
		*outsider = res;
	else
		audit_result_release(&res);
	return 0;
}

/* The readers of share s after the outsider, in their order. */
static int reader_share_run(void *arg)
{
	struct reader_share *s = arg;

	s->b.rc = 0;
	for (size_t i = s->b.first; i < s->b.R->n && s->b.rc == 0; i += s->b.step) {
		if (share_spent(&s->b))
			s->b.rc = 1; /* the work budget is spent: the caller says so */
		else if (audit_reader(s, i, NULL, NULL))
			s->b.rc = -1;
	}
	/* GLPK's problems are freed by the thread that made them */
	audit_session_free(s->sess);
	s->sess = NULL;
	return 0;
}

/* The shares' failures merged by reader (each share's are in reader order): the order one
   share would give. */
static int merge_failures(struct readers_failures *F, struct reader_share *sh, size_t n)
{
	size_t at[READERS_SHARES] = { 0 };

	for (;;) {
		size_t best = SIZE_MAX;
		for (size_t k = 0; k < n; k++)
			if (at[k] < sh[k].F.n && (best == SIZE_MAX ||
			    sh[k].F.f[at[k]].reader < sh[best].F.f[at[best]].reader))
				best = k;
		if (best == SIZE_MAX)
			return 0;
		/* a reader's failures together, in their order */
		size_t r = sh[best].F.f[at[best]].reader;
		while (at[best] < sh[best].F.n && sh[best].F.f[at[best]].reader == r) {
			if (grow_array((void **)&F->f, &F->alloc, F->n + 1, sizeof *F->f))
				return -1;
			F->f[F->n++] = sh[best].F.f[at[best]++];
		}
	}
}

/* Failures of reader j before those of every later reader, a reader's own in their order. */
static int cmp_failure(const void *a, const void *b)
{
	const struct readers_failure *x = a, *y = b;

	if (x->reader != y->reader)
		return x->reader < y->reader ? -1 : 1;
	return x->cell < y->cell ? -1 : x->cell > y->cell;
}

/*
 * The singletons of an insider whose national cell c holds only its own people (s->own_all):
 * a reader who knows less is audited on what the insider's audit of c no longer covers. Each
 * singleton of the insider's areas for which c is neither in its focus list nor a total over
 * its own cell is audited on c; its failures are added to F in reader order. 0 or -1.
 */
static int audit_own_all(const struct sdc_problem *real, const unsigned char *supp,
			 const struct readers *R, const struct audit_options *aopt,
			 const struct reader_share *sh, size_t nshares, struct readers_failures *F,
			 size_t *n_lp, struct diag_list *d)
{
	size_t ncells = sdc_problem_ncells(real), nadd = 0, any = 0;
	unsigned char *up = NULL, *focus = NULL;
	size_t *queue = NULL;
	struct audit_index *ix = NULL;
	struct audit_session *sess = NULL;
	struct readers_failures add = { NULL, 0, 0 };
	int rc = -1;

	for (size_t k = 0; k < nshares; k++)
		any += sh[k].own_all.n;
	if (any == 0)
		return 0;
	up = calloc(ncells + 1, 1);
	focus = calloc(ncells + 1, 1);
	queue = malloc((ncells + 1) * sizeof *queue);
	if (!up || !focus || !queue || audit_index_new(real, &ix, d) != SDC_OK ||
	    audit_session_new(real, supp, aopt, &sess, d) != SDC_OK)
		goto out;
	for (size_t k = 0; k < nshares; k++)
		for (size_t q = 0; q < sh[k].own_all.n; q++) {
			const struct readers_failure *e = &sh[k].own_all.f[q];
			const struct reader *x = &R->r[e->reader];
			for (size_t j = 0; j < R->n; j++) {
				const struct reader *y = &R->r[j];
				size_t g, nq = 0;
				int above;
				struct audit_result res;
				if (y->kind != READER_SINGLETON || y->known_cell >= ncells)
					continue;
				g = R->group[y->known_cell];
				if (g != x->ga && g != x->gb)
					continue;
				if (focus_index(R, y, e->cell) != SIZE_MAX)
					continue; /* audited on c already */
				/* the cells it is in: those it knows above 0, its own cell of 1 and
				   for the person alone in a total the parts of it above 0
				   (add_singletons_knowing) */
				for (size_t h = 0; h < y->n; h++) {
					size_t a = R->cells[y->first + h];
					if (sdc_cell_value(real, a) > 0 && !up[a]) {
						up[a] = 1;
						queue[nq++] = a;
					}
				}
				nq = climb_totals(real, ix, up, queue, nq);
				above = up[e->cell] != 0;
				for (size_t h = 0; h < nq; h++)
					up[queue[h]] = 0;
				if (above)
					continue; /* a total over a cell it is in: it learns it less
						     itself */
				focus[e->cell] = 1;
				if (audit_session_run(sess, R->cells + y->first, y->n, focus, &res, d) !=
				    SDC_OK) {
					focus[e->cell] = 0;
					goto out;
				}
				focus[e->cell] = 0;
				*n_lp += res.n_lp;
				for (size_t i = 0; i < res.n; i++) {
					struct readers_failure *f;
					if (res.cells[i].pass || res.cells[i].cell != e->cell)
						continue;
					if (grow_array((void **)&add.f, &add.alloc, add.n + 1,
						       sizeof *add.f)) {
						audit_result_release(&res);
						sdc_error(d, "out of memory");
						goto out;
					}
					f = &add.f[add.n++];
					f->reader = j;
					f->cell = e->cell;
					f->ilo = res.cells[i].ilo;
					f->ihi = res.cells[i].ihi;
					f->exact = res.cells[i].exact;
				}
				audit_result_release(&res);
			}
		}
	/* the same singleton and cell once (two insiders of a pair may ask for it twice) */
	if (add.n > 1)
		qsort(add.f, add.n, sizeof *add.f, cmp_failure);
	for (size_t i = 0; i < add.n; i++) {
		int seen = nadd > 0 && add.f[nadd - 1].reader == add.f[i].reader &&
			   add.f[nadd - 1].cell == add.f[i].cell;
		/* or a failure its own audit found (a recheck of the last round's) */
		for (size_t k = 0; k < F->n && !seen; k++)
			seen = F->f[k].reader == add.f[i].reader && F->f[k].cell == add.f[i].cell;
		if (!seen)
			add.f[nadd++] = add.f[i];
	}
	add.n = nadd;
	if (add.n) {
		/* merged into F's reader order: F's own failures of a reader first */
		size_t n = F->n, a = 0, b = 0, w = 0;
		struct readers_failure *m = malloc((n + add.n) * sizeof *m);
		if (!m) {
			sdc_error(d, "out of memory");
			goto out;
		}
		while (a < n || b < add.n)
			m[w++] = b == add.n || (a < n && F->f[a].reader <= add.f[b].reader)
				 ? F->f[a++] : add.f[b++];
		free(F->f);
		F->f = m;
		F->n = F->alloc = w;
	}
	rc = 0;
out:
	audit_session_free(sess);
	audit_index_free(ix);
	free(add.f);
	free(up);
	free(focus);
	free(queue);
	return rc;
}

/*
 * A reader's view differs from the outsider's only in the components holding its cells, but
 * each view is one audit here: the linked MAPPA system is one component.
 */
int readers_audit(const struct sdc_problem *real, const unsigned char *supp,
		  const struct readers *R, const struct audit_options *aopt,
		  const unsigned char *sensitive, const unsigned char *recheck,
		  const struct readers_failures *prev, struct readers_failures *F,
		  struct audit_result *outsider, size_t *n_lp, size_t budget, struct diag_list *d)
{
	size_t ncells = sdc_problem_ncells(real), plp = 0, nshares;
	size_t *lp = n_lp ? n_lp : &plp;
	struct proofs P;
	struct reader_share sh[READERS_SHARES];
	unsigned char *ofail = calloc(ncells + 1, 1), *want = NULL, *ask = NULL;
	size_t *cand = malloc((ncells + 1) * sizeof *cand), ncand = 0;
	int rc = -1;

	F->n = 0;
	memset(&P, 0, sizeof P);
	memset(sh, 0, sizeof sh);
	if (!ofail || !cand) {
		sdc_error(d, "out of memory");
		goto out;
	}
	/* the groups whose cells some reader audits: every one, or after the first round those
	   of the cells rechecked */
	want = calloc(R->ngroups + 1, 1);
	if (!want) {
		sdc_error(d, "out of memory");
		goto out;
	}
	/*
	 * and the cells they audit: every sensitive one, or after the first round only those
	 * that can have changed (intervals only widen as suppression grows): the sensitive cells
	 * rechecked and the cells that failed
	 */
	ask = recheck ? calloc(ncells + 1, 1) : NULL;
	if (recheck && !ask) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; ask && c < ncells; c++)
		ask[c] = recheck[c] && sensitive[c]; /* only the outsider audits others */
	for (size_t q = 0; ask && q < prev->n; q++)
		ask[prev->f[q].cell] = sensitive[prev->f[q].cell];
	for (size_t c = 0; R->group && c < ncells; c++)
		if (ask ? ask[c] : sensitive[c])
			want[R->group[c]] = 1;
	if (R->group && singletons_only(R)) {
		/* the groups of the singletons proven in their area's view, and no other */
		unsigned char *of = calloc(R->ngroups + 1, 1);
		if (!of) {
			sdc_error(d, "out of memory");
			goto out;
		}
		for (size_t i = 0; i < R->n; i++)
			if (R->r[i].kind == READER_SINGLETON && R->r[i].ga < R->ngroups - 1)
				of[R->r[i].ga] = 1;
		for (size_t g = 0; g < R->ngroups; g++)
			want[g] = want[g] && of[g];
		free(of);
	}
	if (R->n > 1 && proofs_build(real, supp, R, aopt, ask ? ask : sensitive, want, &P,
				     lp, budget, d))
		goto out;
	/* the cells a reader without a focus list may audit, once for all of them: those
	   rechecked, or the sensitive suppressed ones */
	for (size_t c = 0; c < ncells; c++)
		if (recheck ? recheck[c] != 0 : supp[c] && sensitive[c])
			cand[ncand++] = c;
	nshares = shares_for(R, R->n > 1 ? R->n - 1 : 1);
	for (size_t k = 0; k < nshares; k++) {
		struct reader_share *s = &sh[k];
		share_init(&s->b, real, supp, sensitive, R, aopt, 1 + k, nshares, budget);
		s->recheck = recheck;
		s->ofail = ofail;
		s->P = &P;
		s->prev = prev;
		s->cand = cand;
		s->ncand = ncand;
		s->focus = calloc(ncells + 1, 1);
		s->own = calloc(ncells + 1, 1);
		s->list = malloc((ncells + 1) * sizeof *s->list);
		if (!s->focus || !s->own || !s->list) {
			sdc_error(d, "out of memory");
			goto out;
		}
	}
	/* the outsider first: its failures are every other reader's (none when it passes) */
	if (R->n > 0 && !R->outsider_passes) {
		if (*lp > budget) {
			rc = 1; /* the work budget is spent: the caller says so */
			goto out;
		}
		if (audit_reader(&sh[0], 0, ofail, outsider)) {
			take_diags(d, &sh[0].b.d);
			goto out;
		}
	}
	*lp += sh[0].b.n_lp;
	sh[0].b.n_lp = 0;
	if (proofs_second(real, supp, R, aopt, ask ? ask : sensitive, want, ofail, &P, lp, budget,
			  d))
		goto out;
	for (size_t k = 0; k < nshares; k++)
		sh[k].b.lp_base = *lp;
	run_shares(reader_share_run, sh, sizeof sh[0], nshares);
	rc = shares_end(sh, sizeof sh[0], nshares, lp, d);
	if (rc == 0 && merge_failures(F, sh, nshares)) {
		sdc_error(d, "out of memory");
		rc = -1;
	}
	if (rc == 0 && audit_own_all(real, supp, R, aopt, sh, nshares, F, lp, d))
		rc = -1;
out:
	for (size_t k = 0; k < READERS_SHARES; k++) {
		audit_session_free(sh[k].sess);
		free(sh[k].F.f);
		free(sh[k].own_all.f);
		free(sh[k].focus);
		free(sh[k].own);
		free(sh[k].list);
		diag_clear(&sh[k].b.d);
	}
	proofs_release(&P);
	free(cand);
	free(ofail);
	free(want);
	free(ask);
	return rc;
}


/* Bounds the repair: each round adds at least one cell or stops. */
#define REPAIR_ROUNDS_MAX 200

/*
 * The repair for one failing cell, as its reader sees it: the cheapest published cells whose
 * suppression lets the cell reach a value that makes its interval meet the policy (min_width
 * above its lowest value, or above the protection range; or min_width below its highest
 * value, or down to 0). The LP's solution is itself a feasible set of values for the new
 * pattern, so the new interval is wide enough. Sets add[] and returns the number of cells; 0
 * when the cell is fine already; SIZE_MAX when nothing can protect it; (size_t)-2 on error.
 * Adds the LPs it solves to *n_lp.
 */
static size_t repair_one(struct audit_widener *wd, const struct readers_failure *f, int64_t width,
			 int64_t rmax, int protect_zeros, unsigned char *up, unsigned char *down,
			 size_t ncells, size_t *n_lp, struct diag_list *d)
{
	int need_width = !(f->ihi == INT64_MAX || f->ihi - f->ilo >= width ||
			   (f->ilo == 0 && f->ihi == 0 && !protect_zeros));
	int need_range = rmax > 0 && f->ilo > 0 && f->ihi <= rmax;
	double tup = -HUGE_VAL, tdown = HUGE_VAL, cup = HUGE_VAL, cdown = HUGE_VAL;
	size_t nup = SIZE_MAX, ndown = SIZE_MAX;
	int r;

	if (need_width) {
		tup = (double)(f->ilo + width);
		tdown = (double)(f->ihi - width);
	}
	if (need_range) {
		tup = tup > (double)(rmax + 1) ? tup : (double)(rmax + 1);
		tdown = tdown < 0.0 ? tdown : 0.0;
	}
	memset(up, 0, ncells);
	memset(down, 0, ncells);
	(*n_lp)++;
	r = audit_widener_solve(wd, f->cell, 1, tup, up, &nup, &cup, d);
	if (r != SDC_OK && r != SDC_EUNSAFE)
		return (size_t)-2;
	if (r != SDC_OK)
		nup = SIZE_MAX;
	if (nup == 0)
		return 0; /* reachable already: no repair, and no second LP to compare it with */
	if (tdown >= 0.0) {
		(*n_lp)++;
		r = audit_widener_solve(wd, f->cell, 0, tdown, down, &ndown, &cdown, d);
		if (r != SDC_OK && r != SDC_EUNSAFE)
			return (size_t)-2;
		if (r != SDC_OK)
			ndown = SIZE_MAX;
	}
	if (ndown == 0)
		return 0;
	if (nup == SIZE_MAX && ndown == SIZE_MAX)
		return SIZE_MAX;
	if (ndown != SIZE_MAX && (nup == SIZE_MAX || cdown < cup))
		memcpy(up, down, ncells);
	return nup != SIZE_MAX && !(ndown != SIZE_MAX && cdown < cup) ? nup : ndown;
}

/* Tells widener w that reader i is the one it repairs for now (*who: the last one). */
static void widener_reader(struct audit_widener *w, const struct readers *R, size_t *who, size_t i)
{
	if (*who == i)
		return;
	if (*who != SIZE_MAX)
		audit_widener_know(w, R->cells + R->r[*who].first, R->r[*who].n, 0);
	audit_widener_know(w, R->cells + R->r[i].first, R->r[i].n, 1);
	*who = i;
}

/*
 * A round's repairs in two shares: the failures of the even groups in one, of the odd groups
 * (and the readers with no group) in the other, each share in its failures' order with its own
 * repair LPs and what it has suppressed itself. A share does not see the other's cells this
 * round; the next round's audit does, so a cell only one of them needed is still audited. The
 * split is by group, not by timing: the pattern is the same in every run and with one thread.
 * Each share stops at its half of the LPs left when the round began (share_spent), as the
 * audits' shares do: the two together spend the budget once.
 */
#define REPAIR_SHARES 2

struct repair_share {
	struct share b;			/* first: run_shares and shares_end see it */
	const double *weight;
	const enum sdc_status *status;
	const struct readers_failures *P;
	const struct proofs *S;
	unsigned char *tried;		/* shared: a cell is in one group, so in one share */
	unsigned char *mine;		/* the pattern as this share sees it (supp and its cells) */
	unsigned char *add;		/* the cells this share suppresses */
	unsigned char *up, *down;
	size_t added;
	size_t lost_at;			/* the last failure in P it could not repair, or SIZE_MAX */
};

/* Which share repairs failure f. */
static size_t repair_share_of(const struct readers *R, const struct readers_failure *f)
{
	return R->group ? R->group[f->cell] % REPAIR_SHARES : 0;
}

static int repair_share_run(void *arg)
{
	struct repair_share *rs = arg;
	const struct sdc_problem *real = rs->b.real;
	const struct readers *R = rs->b.R;
	const struct audit_options *aopt = rs->b.aopt;
	const struct readers_failures *P = rs->P;
	size_t n = sdc_problem_ncells(real), ng = R->group ? R->ngroups : 0, nat = ng ? ng - 1 : 0;
	size_t whole_who = SIZE_MAX;
	struct audit_widener **gw = calloc(ng + 1, sizeof(void *)), *whole = NULL;
	size_t *gwho = malloc((ng + 1) * sizeof *gwho);
	unsigned char *active = calloc(n + 1, 1);
	struct diag_list *d = &rs->b.d;

	rs->b.rc = -1;
	if (!gw || !gwho || !active) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < P->n && !share_spent(&rs->b); i++) {
		const struct readers_failure *f = &P->f[i];
		size_t g = ng ? R->group[f->cell] : 0, got = SIZE_MAX;
		int in_view;
		if (repair_share_of(R, f) != rs->b.first || rs->tried[f->cell])
			continue; /* one repair a cell a round: what fixes it for one reader often
				     fixes it for the others, and the next round's audit tells */
		rs->tried[f->cell] = 1;
		/* with the outsider alone, its LP of the whole system is the one repair LP of the
		   round, and the area's LP would cost more cells (257, 3,738 on the fixtures
		   instead of 253, 3,515) to save little */
		in_view = ng && (R->n > 1 || R->r[f->reader].kind != READER_OUTSIDER);
		if (in_view && !gw[g]) {
			for (size_t c = 0; c < n; c++) {
				size_t h = R->group[c];
				active[c] = h == g || h == nat;
				for (size_t j = 0; !active[c] && j < R->nsets; j++)
					active[c] = (unsigned char)proof_in_set(R, rs->S, g, j, h);
			}
			if (audit_widener_new_active(real, rs->mine, NULL, active, rs->weight, &gw[g],
						     d) != SDC_OK)
				goto out;
			gwho[g] = SIZE_MAX;
		}
		if (in_view) {
			widener_reader(gw[g], R, &gwho[g], f->reader);
			got = repair_one(gw[g], f, aopt->min_width,
					 aopt->range_max ? aopt->range_max[f->cell] : 0,
					 aopt->protect_zeros, rs->up, rs->down, n, &rs->b.n_lp, d);
			if (got == (size_t)-2)
				goto out;
			/* a repair through a national cell: the view may lack the areas that would
			   make it cheap (a national cell is the sum of them), so the whole system
			   is asked, whose repair costs no more */
			for (size_t c = 0; got != SIZE_MAX && c < n; c++)
				if (rs->up[c] && R->group[c] == nat)
					got = SIZE_MAX;
		}
		if (got == SIZE_MAX) {
			if (!whole) {
				if (audit_widener_new(real, rs->mine, rs->weight, &whole, d) != SDC_OK)
					goto out;
				/* the whole system's LP is large, and warm solves from the
				   presolver's vertex take fewer pivots than from all slacks
				   ("columns of two 1s": 3,609 iterations instead of 9,262) */
				audit_widener_start(whole);
				rs->b.n_lp++;
			}
			widener_reader(whole, R, &whole_who, f->reader);
			got = repair_one(whole, f, aopt->min_width,
					 aopt->range_max ? aopt->range_max[f->cell] : 0,
					 aopt->protect_zeros, rs->up, rs->down, n, &rs->b.n_lp, d);
			if (got == (size_t)-2)
				goto out;
		}
		if (got == SIZE_MAX) {
			rs->lost_at = i;
			continue;
		}
		for (size_t c = 0; c < n && got; c++)
			if (rs->up[c] && rs->status[c] == SDC_PUBLISH && !rs->add[c]) {
				rs->add[c] = 1;
				rs->mine[c] = 1;
				for (size_t h = 0; h < ng; h++)
					if (gw[h])
						audit_widener_suppress(gw[h], c);
				if (whole)
					audit_widener_suppress(whole, c);
				rs->added++;
			}
	}
	rs->b.rc = 0;
out:
	/* GLPK's problems are freed in the thread that made them */
	for (size_t h = 0; gw && h < ng; h++)
		audit_widener_free(gw[h]);
	audit_widener_free(whole);
	free(gw);
	free(gwho);
	free(active);
	return rs->b.rc;
}

/* One round of repairs for the failures in P (see readers_protect). */
static int repair_round(const struct sdc_problem *real, unsigned char *supp, const struct readers *R,
			const struct audit_options *aopt, const double *weight,
			enum sdc_status *status, unsigned char *fresh, unsigned char *tried,
			const struct readers_failures *P, size_t *added,
			struct readers_failure *lost, size_t *n_lp, struct diag_list *d)
{
	size_t n = sdc_problem_ncells(real), ng = R->group ? R->ngroups : 0;
	size_t nshares = ng ? REPAIR_SHARES : 1, lost_at = SIZE_MAX;
	struct repair_share rs[REPAIR_SHARES];
	struct proofs S;
	int rc = -1;

	memset(&S, 0, sizeof S);
	memset(rs, 0, sizeof rs);
	memset(tried, 0, n);
	if (ng && proofs_sets(real, R, supp, n, &S)) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < nshares; k++) {
		struct repair_share *x = &rs[k];
		share_init(&x->b, real, supp, NULL, R, aopt, k, nshares, READERS_LP_BUDGET);
		x->b.lp_base = *n_lp;
		x->weight = weight;
		x->status = status;
		x->P = P;
		x->S = &S;
		x->tried = tried;
		x->lost_at = SIZE_MAX;
		x->mine = malloc(n + 1);
		x->add = calloc(n + 1, 1);
		x->up = calloc(n + 1, 1);
		x->down = calloc(n + 1, 1);
		if (!x->mine || !x->add || !x->up || !x->down) {
			sdc_error(d, "out of memory");
			goto out;
		}
		memcpy(x->mine, supp, n);
	}
	if (R->shares == 1) /* this thread only: the same shares, one after the other */
		for (size_t k = 0; k < nshares; k++)
			(void)repair_share_run(&rs[k]);
	else
		run_shares(repair_share_run, rs, sizeof rs[0], nshares);
	if (shares_end(rs, sizeof rs[0], nshares, n_lp, d) < 0)
		goto out;
	for (size_t k = 0; k < nshares; k++) {
		if (rs[k].lost_at != SIZE_MAX && (lost_at == SIZE_MAX || rs[k].lost_at > lost_at))
			lost_at = rs[k].lost_at;
		for (size_t c = 0; c < n; c++)
			if (rs[k].add[c] && status[c] == SDC_PUBLISH) {
				status[c] = SDC_SUPPRESS_SECONDARY;
				supp[c] = 1;
				fresh[c] = 1;
				(*added)++;
			}
	}
	if (lost_at != SIZE_MAX)
		*lost = P->f[lost_at];
	rc = 0;
out:
	for (size_t k = 0; k < nshares; k++) {
		free(rs[k].mine);
		free(rs[k].add);
		free(rs[k].up);
		free(rs[k].down);
		diag_clear(&rs[k].b.d);
	}
	proofs_release(&S);
	return rc;
}

/*
 * The one repair loop (see readers.h). A reader widener (one LP over the whole system, solved
 * warm for each of its failing cells) is built once a round.
 */
int readers_protect(const struct sdc_problem *real, enum sdc_status *status,
		    const struct readers *R, const unsigned char *sensitive,
		    const struct audit_options *aopt, size_t *rounds, size_t *n_lp,
		    struct readers_failure *lost, struct diag_list *d)
{
	return readers_protect_from(real, status, R, sensitive, aopt, NULL, rounds, n_lp, lost, d);
}

int readers_protect_from(const struct sdc_problem *real, enum sdc_status *status,
			 const struct readers *R, const unsigned char *sensitive,
			 const struct audit_options *aopt, const unsigned char *first,
			 size_t *rounds, size_t *n_lp, struct readers_failure *lost,
			 struct diag_list *d)
{
	size_t n = sdc_problem_ncells(real);
	unsigned char *supp = calloc(n + 1, 1), *fresh = calloc(n + 1, 1), *tried = calloc(n + 1, 1);
	double *weight = malloc((n + 1) * sizeof *weight);
	struct readers_failures F = { NULL, 0, 0 }, P = { NULL, 0, 0 };
	int result = -1, r;
	int monotone = audit_monotone(aopt);

	memset(lost, 0, sizeof *lost);
	lost->cell = SIZE_MAX;
	if (!supp || !fresh || !tried || !weight) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < n; c++)
		weight[c] = 1.0 + (double)sdc_cell_value(real, c); /* small cells first */
	for (*rounds = 0;; (*rounds)++) {
		size_t added = 0;

		sdc_withheld_cells(status, n, supp);
		/*
		 * Suppression only grows, so every interval only widens, and a cell that passed
		 * still passes (the rule is monotone but for [0,0] against [0,1] with published
		 * zeros and minWidth above 1): after the first round, each reader rechecks only
		 * the cells suppressed since and the cells that failed for it.
		 */
		r = readers_audit(real, supp, R, aopt, sensitive,
				  !monotone ? NULL : *rounds > 0 ? fresh : first, &P, &F, NULL, n_lp,
				  READERS_LP_BUDGET, d);
		if (r < 0)
			goto out;
		if (r > 0 || *n_lp > READERS_LP_BUDGET) {
			result = 2;
			break;
		}
		memset(fresh, 0, n);
		{
			struct readers_failures t = P;
			P = F;
			F = t;
		}
		if (P.n == 0) {
			result = 0;
			break;
		}
		if (*rounds >= REPAIR_ROUNDS_MAX) {
			*lost = P.f[0];
			result = 1;
			break;
		}
		/*
		 * Failures come grouped by reader, in reader order. The repair LP of a failing cell
		 * is the one of its group (its area or the nation, the group's partner areas and
		 * the nation; every other cell at its value): smaller, and any repair it finds is a
		 * repair of the whole system. Only where it finds none is the LP of the whole
		 * system asked. Each is built once a round, and told in turn what each reader knows.
		 */
		if (repair_round(real, supp, R, aopt, weight, status, fresh, tried, &P, &added, lost,
				 n_lp, d))
			goto out;
		if (*n_lp > READERS_LP_BUDGET) {
			result = 2;
			break;
		}
		if (added == 0) {
			if (lost->cell == SIZE_MAX)
				*lost = P.f[0];
			result = 1;
			break;
		}
		lost->cell = SIZE_MAX;
	}
out:
	free(F.f);
	free(P.f);
	free(supp);
	free(fresh);
	free(tried);
	free(weight);
	return result;
}

/* A secondary and its value: largest first, then cell order (the same input, the same pass). */
struct by_value {
	int64_t v;
	size_t c;
};

static int cmp_largest(const void *a, const void *b)
{
	const struct by_value *x = a, *y = b;
	if (x->v != y->v)
		return x->v < y->v ? 1 : -1;
	return x->c < y->c ? -1 : x->c > y->c;
}

/*
 * The last pass (readers.h). A try publishes one secondary s again, and it stays published
 * only when the audit of every reader on the new pattern passes. Two cheaper tests turn most
 * tries down first, because a secondary was chosen to protect a cell it shares a relation
 * with: the outsider's LPs on those neighbours (s known, on the LP of the pattern so far), then
 * every reader's on them. On the fixtures 335 tries came to 41, 27 and 15 (the cells published
 * again).
 */
int readers_republish(const struct sdc_problem *real, enum sdc_status *status,
		      const struct readers *R, const unsigned char *sensitive,
		      const struct audit_options *aopt, size_t budget, size_t *n_lp,
		      size_t *published, struct diag_list *d)
{
	size_t n = sdc_problem_ncells(real), ns = 0, lp = 0;
	unsigned char *supp = calloc(n + 1, 1), *near = calloc(n + 1, 1);
	struct by_value *order = malloc((n + 1) * sizeof *order);
	size_t *list = malloc((n + 1) * sizeof *list);
	struct audit_index *ix = NULL;
	struct audit_session *sess = NULL;
	struct readers_failures F = { NULL, 0, 0 }, none = { NULL, 0, 0 };
	int rc = -1;

	*published = 0;
	if (!supp || !near || !order || !list) {
		sdc_error(d, "out of memory");
		goto out;
	}
	for (size_t c = 0; c < n; c++) {
		supp[c] = (unsigned char)sdc_withholds(status[c]);
		if (status[c] == SDC_SUPPRESS_SECONDARY) {
			order[ns].v = sdc_cell_value(real, c);
			order[ns++].c = c;
		}
	}
	qsort(order, ns, sizeof *order, cmp_largest);
	if (audit_index_new(real, &ix, d) != SDC_OK)
		goto out;
	for (size_t k = 0; k < ns; k++) {
		size_t s = order[k].c, nl = 0;
		const size_t *rel;
		size_t nr = audit_index_relations(ix, s, &rel);
		int r = 0;

		if (lp > budget) {
			rc = 1; /* what is published again so far is safe: keep it */
			goto out;
		}
		for (size_t q = 0; q < nr; q++) {
			const size_t *m;
			size_t nm, t = sdc_relation(real, rel[q], &m, &nm);
			for (size_t i = 0; i <= nm; i++) {
				size_t c = i < nm ? m[i] : t;
				if (c != s && supp[c] && !near[c]) {
					near[c] = 1;
					list[nl++] = c;
				}
			}
		}
		if (nl) {
			/* the outsider on the neighbours, s known */
			struct audit_result res;
			if (!sess && audit_session_new(real, supp, aopt, &sess, d) != SDC_OK)
				goto out;
			if (audit_session_run(sess, &s, 1, near, &res, d) != SDC_OK)
				goto out;
			lp += res.n_lp;
			r = res.n_fail > 0;
			audit_result_release(&res);
		}
		supp[s] = 0;
		if (nl && !r) {
			/* every reader on them, s published */
			r = readers_audit(real, supp, R, aopt, sensitive, near, &none, &F, NULL, &lp,
					  budget, d);
			if (r < 0)
				goto out;
			r = r > 0 || F.n > 0;
		}
		for (size_t i = 0; i < nl; i++)
			near[list[i]] = 0;
		if (!r) {
			/* every reader on every cell */
			r = readers_audit(real, supp, R, aopt, sensitive, NULL, NULL, &F, NULL, &lp,
					  budget, d);
			if (r < 0)
				goto out;
			r = r > 0 || F.n > 0;
		}
		if (r) {
			supp[s] = 1;
			continue;
		}
		status[s] = SDC_PUBLISH;
		(*published)++;
		audit_session_free(sess); /* the next try starts from the new pattern */
		sess = NULL;
	}
	rc = 0;
out:
	*n_lp += lp;
	audit_session_free(sess);
	audit_index_free(ix);
	free(F.f);
	free(supp);
	free(near);
	free(order);
	free(list);
	return rc;
}

size_t readers_coalition(const struct readers *R)
{
	return R->nsets > 1 ? R->nsets - 1 : 1;
}

size_t readers_identified(const struct sdc_problem *p, const unsigned char *supp,
			  const struct readers *R, unsigned kinds, const unsigned char *cand,
			  const unsigned char *use, unsigned char *ident)
{
	size_t n = sdc_problem_ncells(p), nrel = sdc_nrelations(p), count = 0;
	size_t coalition = readers_coalition(R);
	size_t one = (kinds & READER_SINGLETON) ? 1 : 0;
	size_t across = (kinds & READER_INSIDER) && coalition > one ? coalition : one;

	/* first every withheld cell is a candidate; a relation that can need it clears it */
	for (size_t c = 0; c < n; c++)
		ident[c] = supp[c] && (cand ? cand[c] != 0 : sdc_cell_state(p, c) != SDC_WITHHELD);
	for (size_t r = 0; r < nrel; r++) {
		const size_t *m;
		size_t nm, t = sdc_relation(p, r, &m, &nm), k = supp[t] != 0, s;
		int spans = 0;
		if (use && !use[r])
			continue;
		for (size_t j = 0; j < nm; j++) {
			k += supp[m[j]] != 0;
			spans |= R->group[m[j]] != R->group[t];
		}
		s = spans ? across : one;
		if (k < 2 || k > 2 + s)
			continue;
		ident[t] = 0;
		for (size_t j = 0; j < nm; j++)
			ident[m[j]] = 0;
	}
	for (size_t c = 0; c < n; c++)
		count += ident[c];
	return count;
}
