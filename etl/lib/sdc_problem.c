/*
 * sdc_problem.c - the linear system shared by the elimination and the audit (sdc_problem.h).
 */
#include "sdc_problem.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "growarray.h"

struct sdc_problem {
	size_t n;
	int64_t *value;
	unsigned char *state;
	double *cost;
	unsigned char *has_cost;
	int64_t *lo, *hi;

	size_t nrel, relcap;
	size_t *rel_total;
	size_t *rel_start;	/* nrel + 1 entries */
	size_t *mem;
	size_t nmem, memcap;

	size_t nleq, leqcap;
	size_t *leq_a, *leq_b;
};

const char *sdc_strerror(int code)
{
	switch (code) {
	case SDC_OK: return "ok";
	case SDC_ENOMEM: return "out of memory";
	case SDC_EINVAL: return "invalid argument";
	case SDC_EINCONSISTENT: return "inconsistent figures";
	case SDC_EUNSAFE: return "a protected cell cannot be protected";
	case SDC_ELP: return "linear programming failed";
	default: return "unknown error";
	}
}

struct sdc_problem *sdc_problem_new(size_t ncells)
{
	struct sdc_problem *p;
	size_t n = ncells ? ncells : 1;

	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->n = ncells;
	p->value = calloc(n, sizeof(*p->value));
	p->state = calloc(n, sizeof(*p->state));
	p->cost = calloc(n, sizeof(*p->cost));
	p->has_cost = calloc(n, sizeof(*p->has_cost));
	p->lo = calloc(n, sizeof(*p->lo));
	p->hi = malloc(n * sizeof(*p->hi));
	p->rel_start = malloc(sizeof(*p->rel_start));
	if (!p->value || !p->state || !p->cost || !p->has_cost || !p->lo ||
	    !p->hi || !p->rel_start) {
		sdc_problem_free(p);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		p->hi[i] = -1;
	p->rel_start[0] = 0;
	return p;
}

void sdc_problem_free(struct sdc_problem *p)
{
	if (p == NULL)
		return;
	free(p->value);
	free(p->state);
	free(p->cost);
	free(p->has_cost);
	free(p->lo);
	free(p->hi);
	free(p->rel_total);
	free(p->rel_start);
	free(p->mem);
	free(p->leq_a);
	free(p->leq_b);
	free(p);
}

size_t sdc_problem_ncells(const struct sdc_problem *p)
{
	return p->n;
}

static int check_cell(const struct sdc_problem *p, size_t cell, struct diag_list *d)
{
	if (cell >= p->n) {
		sdc_error(d, "cell %zu out of range (%zu cells)", cell,
		       p->n);
		return SDC_EINVAL;
	}
	return SDC_OK;
}

int sdc_set_cell(struct sdc_problem *p, size_t cell, int64_t value,
		 enum sdc_state state, struct diag_list *d)
{
	int rc = check_cell(p, cell, d);

	if (rc != SDC_OK)
		return rc;
	if (value < 0 || (state == SDC_EMPTY && value != 0)) {
		sdc_error(d, "cell %zu: value %lld not allowed", cell,
		       (long long)value);
		return SDC_EINVAL;
	}
	if ((int)state < SDC_CANDIDATE || state > SDC_EMPTY) {
		sdc_error(d, "cell %zu: unknown state", cell);
		return SDC_EINVAL;
	}
	p->value[cell] = value;
	p->state[cell] = (unsigned char)state;
	return SDC_OK;
}

int sdc_set_cost(struct sdc_problem *p, size_t cell, double cost, struct diag_list *d)
{
	int rc = check_cell(p, cell, d);

	if (rc != SDC_OK)
		return rc;
	if (!isfinite(cost)) {
		sdc_error(d, "cell %zu: cost is not finite", cell);
		return SDC_EINVAL;
	}
	p->cost[cell] = cost;
	p->has_cost[cell] = 1;
	return SDC_OK;
}

int sdc_set_bounds(struct sdc_problem *p, size_t cell, int64_t lo, int64_t hi,
		   struct diag_list *d)
{
	int rc = check_cell(p, cell, d);

	if (rc != SDC_OK)
		return rc;
	if (lo < 0 || (hi >= 0 && hi < lo)) {
		sdc_error(d, "cell %zu: bad bounds [%lld, %lld]", cell,
		       (long long)lo, (long long)hi);
		return SDC_EINVAL;
	}
	p->lo[cell] = lo;
	p->hi[cell] = hi;
	return SDC_OK;
}

int sdc_add_relation(struct sdc_problem *p, size_t total,
		     const size_t *members, size_t n, struct diag_list *d)
{
	int rc = check_cell(p, total, d);

	if (rc != SDC_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		rc = check_cell(p, members[i], d);
		if (rc != SDC_OK)
			return rc;
		if (members[i] == total) {
			sdc_error(d, "cell %zu is a member of its own "
			       "total", total);
			return SDC_EINVAL;
		}
	}
	if (grow_array((void **)&p->mem, &p->memcap, p->nmem + n, sizeof(size_t)) ||
	    grow_array((void **)&p->rel_total, &p->relcap, p->nrel + 1,
		 sizeof(size_t))) {
		sdc_error(d, "out of memory");
		return SDC_ENOMEM;
	}
	{
		size_t *ns = realloc(p->rel_start,
				     (p->nrel + 2) * sizeof(size_t));
		if (ns == NULL) {
			sdc_error(d, "out of memory");
			return SDC_ENOMEM;
		}
		p->rel_start = ns;
	}
	if (n > 0)
		memcpy(p->mem + p->nmem, members, n * sizeof(size_t));
	p->nmem += n;
	p->rel_total[p->nrel] = total;
	p->nrel++;
	p->rel_start[p->nrel] = p->nmem;
	return SDC_OK;
}

int sdc_add_leq(struct sdc_problem *p, size_t a, size_t b, struct diag_list *d)
{
	int rc = check_cell(p, a, d);
	size_t cap;

	if (rc == SDC_OK)
		rc = check_cell(p, b, d);
	if (rc != SDC_OK)
		return rc;
	cap = p->leqcap;
	if (grow_array((void **)&p->leq_a, &cap, p->nleq + 1, sizeof(size_t))) {
		sdc_error(d, "out of memory");
		return SDC_ENOMEM;
	}
	cap = p->leqcap;
	if (grow_array((void **)&p->leq_b, &cap, p->nleq + 1, sizeof(size_t))) {
		sdc_error(d, "out of memory");
		return SDC_ENOMEM;
	}
	p->leqcap = cap;
	p->leq_a[p->nleq] = a;
	p->leq_b[p->nleq] = b;
	p->nleq++;
	return SDC_OK;
}

int64_t sdc_cell_value(const struct sdc_problem *p, size_t cell)
{
	return p->value[cell];
}

double sdc_cell_cost(const struct sdc_problem *p, size_t cell)
{
	return p->has_cost[cell] ? p->cost[cell] : (double)p->value[cell];
}

int sdc_cell_has_cost(const struct sdc_problem *p, size_t cell)
{
	return p->has_cost[cell] != 0;
}

enum sdc_state sdc_cell_state(const struct sdc_problem *p, size_t cell)
{
	return (enum sdc_state)p->state[cell];
}

void sdc_cell_bounds(const struct sdc_problem *p, size_t cell, int64_t *lo,
		     int64_t *hi)
{
	*lo = p->lo[cell];
	*hi = p->hi[cell];
}

const int64_t *sdc_cell_values(const struct sdc_problem *p)
{
	return p->value;
}

const unsigned char *sdc_cell_states(const struct sdc_problem *p)
{
	return p->state;
}

size_t sdc_nrelations(const struct sdc_problem *p)
{
	return p->nrel;
}

size_t sdc_relation(const struct sdc_problem *p, size_t r,
		    const size_t **members, size_t *n)
{
	*members = p->mem + p->rel_start[r];
	*n = p->rel_start[r + 1] - p->rel_start[r];
	return p->rel_total[r];
}

size_t sdc_nleq(const struct sdc_problem *p)
{
	return p->nleq;
}

void sdc_leq(const struct sdc_problem *p, size_t i, size_t *a, size_t *b)
{
	*a = p->leq_a[i];
	*b = p->leq_b[i];
}

enum sdc_state sdc_threshold_state(int64_t value, int64_t min, int64_t max,
				   int protect_zeros)
{
	if (value == 0)
		return protect_zeros ? SDC_PRIMARY : SDC_CANDIDATE;
	if (value >= min && value <= max)
		return SDC_PRIMARY;
	return SDC_CANDIDATE;
}


static void error_v(struct diag_list *d, long line, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void error_v(struct diag_list *d, long line, const char *fmt, va_list ap)
{
	char msg[1024];

	if (d == NULL)
		return;
	vsnprintf(msg, sizeof msg, fmt, ap);
	/* out of memory is the machine's, not the data's: its errno makes the exit status 70 */
	if (strcmp(msg, "out of memory") == 0)
		(void)diag_add_errno(d, NULL, "S02", ENOMEM, "%s", msg);
	else
		(void)diag_add(d, NULL, line, "S02", DIAG_ERROR, "%s", msg);
}

void sdc_error(struct diag_list *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_v(d, 0, fmt, ap);
	va_end(ap);
}

void sdc_error_at(struct diag_list *d, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_v(d, line, fmt, ap);
	va_end(ap);
}
