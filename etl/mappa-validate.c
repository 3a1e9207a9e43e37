/*
 * mappa-validate: checks MAPPA area returns before they are sent or processed.
 * See docs/man/mappa-validate.1 and docs/rules.md.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

#include <libxml/parser.h>
#include <libxml/xmlwriter.h>

#include "areas.h"
#include "defs.h"
#include "diag.h"
#include "fe_main.h"
#include "fe_name.h"
#include "stage_setup.h"
#include "validator.h"
#include "xmlsafe.h"
#include "yoy.h"

static const char usage_text[] =
	"usage: mappa-validate [--format=text|xml] [--reference FILE] [--schema FILE] [--quiet]\n"
	"                      [--previous FILE [--yoy-limits PERCENT,AMOUNT,LARGE]] FILE...\n"
	"       mappa-validate --help | --version\n"
	"\n"
	"Checks each MAPPA return against the return schema and the rules of the statistics\n"
	"(docs/rules.md), reports every problem as FILE:LINE: error[RULE]: message on stderr,\n"
	"and goes on to the next file.\n"
	"\n"
	"  --format=text   diagnostics on stderr and a summary line per file (default)\n"
	"  --format=xml    also a machine-readable report on stdout\n"
	"  --reference F   reference data (areas) to use instead of the built-in copy\n"
	"  --schema F      return schema to use instead of the built-in schemas/return.xsd\n"
	"  -q, --quiet     no summary lines, only diagnostics\n"
	"  --previous F    also compare each valid return with F, the area's return for the\n"
	"                  period before, and warn (Y01-Y03) where a figure moves a lot\n"
	"  --yoy-limits L  Y01 warns above PERCENT per cent and AMOUNT people, Y02 when 0 meets\n"
	"                  LARGE or more (default 50,20,10)\n"
	"\n"
	"Exit status: 0 all valid (warnings allowed), 65 some return invalid or the --schema\n"
	"refused (R00: no xs:include, xs:import or xs:redefine), 64 bad usage, 66 a file cannot\n"
	"be read, 70 internal error, 74 standard output cannot be written.\n";

static const struct fe_prog prog = { "mappa-validate", usage_text, NULL };

struct file_result {
	const char *path;
	enum validator_result result;
	int err;
	struct diag_list diags;
};

/*
 * The report, built in memory by libxml2 and then written to standard output by us, so that a
 * write that fails keeps its errno (*err; 0 when the report could not be built: out of
 * memory). 0 or -1.
 */
static int write_xml_report(const struct file_result *files, size_t n, int *err)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	size_t len;
	int rc = 0;

	*err = 0;
	if (!w) {
		xmlBufferFree(buf);
		return -1;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, BAD_CAST "  ");
	rc |= xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL) < 0;
	rc |= xmlTextWriterStartElementNS(w, NULL, BAD_CAST "validation", BAD_CAST "urn:mappa:validation:1") < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "1") < 0;
	rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "program", BAD_CAST "mappa-validate " MAPPA_VERSION) < 0;
	for (size_t i = 0; i < n; i++) {
		const struct file_result *f = &files[i];
		const char *status = f->result == VALIDATOR_VALID ? "valid"
				     : f->result == VALIDATOR_UNREADABLE ? "unreadable"
				     : "invalid";
		rc |= xmlTextWriterStartElement(w, BAD_CAST "file") < 0;
		/* a name with a control character is written C-quoted: XML cannot hold one */
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "path", BAD_CAST fe_name_bare(f->path)) < 0;
		rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "status", BAD_CAST status) < 0;
		rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "errors", "%zu", f->diags.errors) < 0;
		rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "warnings", "%zu", f->diags.warnings) < 0;
		if (f->result == VALIDATOR_UNREADABLE)
			rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "reason", BAD_CAST xmlsafe_strerror(f->err)) < 0;
		for (size_t j = 0; j < f->diags.count; j++) {
			const struct diag *d = &f->diags.items[j];
			rc |= xmlTextWriterStartElement(w, BAD_CAST "diagnostic") < 0;
			rc |= xmlTextWriterWriteFormatAttribute(w, BAD_CAST "line", "%ld", d->line) < 0;
			rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "rule", BAD_CAST d->rule) < 0;
			rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "severity",
				BAD_CAST(d->severity == DIAG_ERROR ? "error" : "warning")) < 0;
			rc |= xmlTextWriterWriteString(w, BAD_CAST d->message) < 0;
			rc |= xmlTextWriterEndElement(w) < 0;
		}
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	rc |= xmlTextWriterEndDocument(w) < 0;
	xmlFreeTextWriter(w); /* flushes into buf */
	len = rc ? 0 : (size_t)xmlBufferLength(buf);
	if (!rc && (fwrite(xmlBufferContent(buf), 1, len, stdout) != len || fflush(stdout) != 0)) {
		*err = errno;
		rc = 1;
	}
	xmlBufferFree(buf);
	return rc ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "reference", required_argument, NULL, 'r' },
		{ "schema", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "previous", required_argument, NULL, 'p' },
		{ "yoy-limits", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reference = NULL, *schema_path = NULL, *previous = NULL;
	struct yoy_limits limits;
	char why[160]; /* why --yoy-limits is refused */
	int yoy_given = 0;
	struct area_return *ret = NULL; /* [0] the previous return, [1] the one being checked */
	int xml = 0, quiet = 0, opt, status = EX_OK, err = 0;
	static struct defs defs;
	static struct areas areas;
	struct diag_list setup = DIAG_LIST_INIT;
	struct validator *v = NULL;
	struct file_result *files = NULL;
	char *xsd = NULL;
	size_t xsdlen = 0, nfiles;
	size_t nvalid = 0, ninvalid = 0, nunreadable = 0, shown = 0;

	yoy_limits_default(&limits);
	fe_start(&prog, argv);
	while ((opt = fe_getopt(&prog, argc, argv, "qhV", longopts)) != -1) {
		if (opt == FE_OPT_EMPTY)
			return EX_USAGE;
		switch (opt) {
		case 'f':
			if (strcmp(optarg, "xml") == 0)
				xml = 1;
			else if (strcmp(optarg, "text") == 0)
				xml = 0;
			else {
				return fe_usage_error(&prog, "unknown format %s (text or xml)", fe_name(optarg));
			}
			break;
		case 'r': reference = optarg; break;
		case 's': schema_path = optarg; break;
		case 'q': quiet = 1; break;
		case 'p': previous = optarg; break;
		case 'l':
			yoy_given = 1;
			if (yoy_parse_limits_why(optarg, &limits, why, sizeof why) != 0) {
				return fe_usage_error(&prog, "bad --yoy-limits %s: %s (PERCENT,AMOUNT,LARGE, e.g. 50,20,10)",
						      fe_name(optarg), why);
			}
			break;
		default: return fe_option(&prog, opt);
		}
	}
	if (optind >= argc)
		return fe_usage_error(&prog, "no file given");
	/* limits of a comparison that is not made: accepted in silence, as if they applied (QA) */
	if (yoy_given && !previous)
		return fe_usage_error(&prog, "--yoy-limits without --previous (the limits are of the "
				      "comparison with the previous return)");
	nfiles = (size_t)(argc - optind);

	LIBXML_TEST_VERSION
	status = stage_load_reference(&prog, &defs, &areas, reference);
	if (status != EX_OK)
		goto out;
	/* R00 at line 0: cannot be read (66) or larger than 1 MiB (65), as --reference's F05 */
	if (schema_path && xmlsafe_read_path(schema_path, XMLSAFE_MAX_BYTES, "R00", &xsd, &xsdlen,
					     &setup) != 0) {
		status = fe_diags(&setup);
		goto out;
	}
	v = validator_new(&defs, &areas, (const unsigned char *)xsd, xsdlen, schema_path, &setup);
	if (!v) {
		fe_diags(&setup);
		status = schema_path ? EX_DATAERR : EX_SOFTWARE;
		goto out;
	}
	files = calloc(nfiles, sizeof *files);
	ret = previous ? calloc(2, sizeof *ret) : NULL;
	if (!files || (previous && !ret)) {
		fputs("mappa-validate: out of memory\n", stderr);
		status = EX_SOFTWARE;
		goto out;
	}
	if (previous) {
		enum validator_result pr = validator_check_file(v, previous, &ret[0], &setup);
		int ps;
		diag_sort(&setup);
		ps = fe_diags(&setup); /* an unreadable one is its R03 "cannot read" with its errno */
		if (pr != VALIDATOR_VALID) {
			fprintf(stderr, "mappa-validate: the previous return %s %s: no return checked\n",
				fe_name(previous),
				pr == VALIDATOR_UNREADABLE ? "cannot be read" : "is not valid");
			status = ps != EX_OK ? ps : EX_SOFTWARE;
			goto out;
		}
	}
	for (size_t i = 0; i < nfiles; i++) {
		struct file_result *f = &files[i];
		f->path = argv[optind + (int)i];
		/* the whole bounded too (docs/rules.md): past DIAG_KEEP_TOTAL diagnostics shown, a
		   file shows only its first, and "and N more" (QA: 30 returns of 150 errors each
		   printed 3,000) */
		if (shown >= DIAG_KEEP_TOTAL)
			f->diags.keep = 1;
		f->result = validator_check_file(v, f->path, ret ? &ret[1] : NULL, &f->diags);
		f->err = diag_errnum(&f->diags); /* the report's reason when it cannot be read */
		if (ret && f->result == VALIDATOR_VALID &&
		    yoy_compare(&defs, &limits, &ret[0], &ret[1], f->path, &f->diags) < 0)
			f->result = VALIDATOR_FAILED;
		diag_sort(&f->diags);
		fe_diags(&f->diags);
		shown += f->diags.count;
		switch (f->result) {
		case VALIDATOR_VALID:
			nvalid++;
			if (!quiet) {
				if (f->diags.warnings)
					fprintf(stderr, "%s: valid, with %zu warning%s\n", fe_name_bare(f->path),
						f->diags.warnings, f->diags.warnings == 1 ? "" : "s");
				else
					fprintf(stderr, "%s: valid\n", fe_name_bare(f->path));
			}
			break;
		case VALIDATOR_UNREADABLE:
			/* its R03 "cannot read: REASON" is printed above, as every diagnostic */
			nunreadable++;
			if (!quiet)
				fprintf(stderr, "%s: cannot be read\n", fe_name_bare(f->path));
			break;
		case VALIDATOR_INVALID:
		case VALIDATOR_FAILED:
			ninvalid++;
			if (!quiet)
				fprintf(stderr, "%s: invalid, %zu error%s\n", fe_name_bare(f->path), f->diags.errors,
					f->diags.errors == 1 ? "" : "s");
			break;
		}
	}
	if (!quiet && nfiles > 1)
		fprintf(stderr, "mappa-validate: %zu valid, %zu invalid, %zu unreadable\n", nvalid,
			ninvalid, nunreadable);
	if (xml && write_xml_report(files, nfiles, &err) != 0) {
		if (err)
			status = fe_stdout_failed(&prog, err);
		else {
			fputs("mappa-validate: out of memory\n", stderr);
			status = EX_SOFTWARE;
		}
	} else if (nunreadable)
		status = EX_NOINPUT;
	else if (ninvalid)
		status = EX_DATAERR;
out:
	if (files)
		for (size_t i = 0; i < nfiles; i++)
			diag_clear(&files[i].diags);
	free(files);
	free(ret);
	free(xsd);
	validator_free(v);
	diag_clear(&setup);
	xmlCleanupParser();
	return fe_exit(&prog, status);
}
