/*
 * quote: names (file names, inbox entries, anything from outside) printed safely, as git's
 * quote_path (quote_c_style) does. A name that holds only printable characters is printed as it
 * is; otherwise it is put in double quotes with C escapes: \a \b \t \n \v \f \r, \" and \\, and
 * \ooo (octal) for every other control byte (C0, DEL, C1), every byte that is not part of valid
 * UTF-8, and every byte of a character that reorders, hides or breaks text (the soft hyphen
 * U+00AD, U+061C, U+180B-U+180F, the zero-width and bidirectional controls U+200B-U+200F,
 * U+202A-U+202E, U+2066-U+2069, the line and paragraph separators U+2028-U+2029,
 * U+2060-U+206F, U+FEFF, and the other invisible ones: U+034F, U+115F-U+1160, U+17B4-U+17B5,
 * U+3164, U+FFA0, U+FFF0-U+FFFB, U+1BCA0-U+1BCA3, U+1D173-U+1D17A, U+13430-U+1343F,
 * U+E0000-U+E0FFF), and of
 * every space but U+0020 (U+00A0, U+1680, U+2000-U+200A, U+202F, U+205F, U+3000, and the
 * braille blank U+2800: names that differ by one looked alike). A name that is empty, or begins or ends with a space, is quoted
 * too, so that its edges show. Valid UTF-8 letters (Welsh names: "Ynys Môn") stay readable. Nothing a name holds
 * can move the cursor, change the colour of a terminal, forge a line, or hide a character.
 */
#ifndef MAPPA_QUOTE_H
#define MAPPA_QUOTE_H

#include <stddef.h>

#include "strbuf.h"

/* The length in bytes of the character at p when it is one of those that hide or reorder text
 * (named above; a valid UTF-8 sequence), else 0. */
size_t quote_hidden_len(const char *p);

/* The length in bytes of the character at p when it is a valid UTF-8 sequence that is none of
 * those (a printable ASCII byte, a letter such as the 'ô' of "Ynys Môn"), else 0. */
size_t quote_visible_len(const char *p);

/* The number of characters of s (UTF-8 lead bytes and single bytes): lengths a schema counts in
 * characters (a name's 100, a link's 200). */
size_t quote_text_chars(const char *s);

/* 1 if name must be quoted (it holds a byte or character named above, or a variation selector
 * U+FE00-U+FE0F or a combining mark U+0300-U+036F on an ASCII character, which would make two
 * names look alike), else 0. */
int quote_needed(const char *name);

/* 1 if s can be printed as text as it is: empty, or characters quote_visible_len takes and no
 * space at either end (the texts of the reference data, which may hold a no-break space or a
 * quote), else 0. */
int quote_text_plain(const char *s);

/* Appends name, quoted when it must be, to out. A NULL name is printed as "(null)". */
void quote_name(struct strbuf *out, const char *name);

/*
 * The same into dst (size bytes, always NUL-terminated when size > 0). A quoted form that does
 * not fit is cut at a whole escape and ends in "..." (and the closing quote), so the result never
 * ends inside an escape. Returns dst.
 */
const char *quote_name_buf(char *dst, size_t size, const char *name);

/*
 * A text from outside that is no name (a lock file's note, which holds a time), quoted as
 * quote_name_buf quotes a name but for ":DIGITS:", which is shown as it is: a name's is
 * escaped (\072) so that it cannot read as a diagnostic's FILE:LINE:, and a time "02:37:01"
 * showed as "02\07237:01" (QA). Returns dst.
 */
const char *quote_text_buf(char *dst, size_t size, const char *text);

/*
 * A name inside a message: 'name' in single quotes when it is plain, or the double-quoted
 * C-style form of quote_name_buf when it must be quoted ("bad\tname.xml"), cut as
 * quote_name_buf cuts. Returns dst.
 */
const char *quote_arg_buf(char *dst, size_t size, const char *name);

/*
 * The name a C-quoted form stands for (as quote_name writes it: "a\tb.xml", escapes \a \b \t
 * \n \v \f \r \" \\ and three octal digits) into dst (size bytes). Returns its length (it may
 * hold no NUL: a \000 is refused), or -1 when quoted is not such a form or it does not fit.
 */
long quote_unquote(const char *quoted, char *dst, size_t size);

#endif
