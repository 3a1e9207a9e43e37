/*
 * fe_name: names from outside (file names, option values) ready for the programs' messages, so
 * that nothing a name holds reaches the terminal raw (quote.h says what is escaped). Shared by
 * the programs only.
 */
#ifndef MAPPA_FE_NAME_H
#define MAPPA_FE_NAME_H

/*
 * 'name' in single quotes when it is plain, or quote_name's double-quoted C-style form when it
 * holds a control character, a byte that is not UTF-8, or a character that hides or reorders
 * text: "bad\033[2Jname.xml". The result lives in one of four static buffers used in turn, so
 * one message may hold up to four names; it is valid until the fourth call after this one.
 * Names longer than the buffer are cut and end in "...".
 */
const char *fe_name(const char *name);

/* The same without the single quotes around a plain name: for names that begin a line
 * ("FILE: valid"), as the diagnostics print them. */
const char *fe_name_bare(const char *name);

#endif
