#include "fe_main.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sysexits.h>
#include <unistd.h>

#include "fe_name.h"
#include "outfile.h"
#include "xmlsafe.h"

int fe_option(const struct fe_prog *p, int opt)
{
	if (opt == 'h') {
		fputs(p->usage, stdout);
		return EX_OK;
	}
	if (opt == 'V') {
		printf("%s %s\n", p->name, MAPPA_VERSION);
		return EX_OK;
	}
	fputs(p->usage, stderr);
	return EX_USAGE;
}

int fe_usage_error(const struct fe_prog *p, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", p->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(p->usage, stderr);
	return EX_USAGE;
}

int fe_status_read(int errnum)
{
	return errnum == ENOMEM ? EX_SOFTWARE : EX_NOINPUT;
}

int fe_status_write(int errnum)
{
	switch (errnum) {
	case ENOSPC:
	case EDQUOT:
	case EIO:
	case EFBIG:
		return EX_IOERR;
	case ENOMEM:
		return EX_SOFTWARE;
	default:
		return EX_CANTCREAT;
	}
}

int fe_cannot(const struct fe_prog *p, const char *verb, const char *file, int errnum, int status)
{
	fprintf(stderr, "%s: cannot %s %s: %s\n", p->name, verb, fe_name(file),
		status == EX_NOINPUT ? xmlsafe_strerror(errnum) : outfile_strerror(errnum));
	return status;
}

FILE *fe_create(const char *path)
{
	int fd = outfile_open(path), saved;
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return f;
}

int fe_status(const struct diag_list *l, enum fe_io io)
{
	int errnum = diag_errnum(l);

	if (!l->errors)
		return EX_OK;
	if (errnum) {
		if (io == FE_CREATE)
			return errnum == ENOMEM ? EX_SOFTWARE : EX_CANTCREAT;
		return io == FE_WRITE ? fe_status_write(errnum) : fe_status_read(errnum);
	}
	return io == FE_READ ? EX_DATAERR : EX_SOFTWARE;
}

int fe_diags(const struct diag_list *l)
{
	diag_print(l, stderr);
	return fe_status(l, FE_READ);
}

int fe_diags_io(const struct diag_list *l, enum fe_io io)
{
	diag_print(l, stderr);
	return fe_status(l, io);
}
