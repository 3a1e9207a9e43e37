/*
 * unambiguous: whether the bytes of a bundle (.tar.gz or .zip) give every reader the same files.
 *
 * libarchive reads a .tar.gz to the tar's end-of-archive marker and a .zip by its central
 * directory. Other readers go further or elsewhere: `tar -xzi` reads on past the marker and
 * into a second gzip member, a streaming unzip (`curl ... | bsdtar -xf -`) reads every local
 * entry whether the central directory lists it or not. Bytes that only those readers see
 * would be published without being audited (QA: an observations.csv hidden so showed a
 * suppressed national figure). A bundle is accepted only when there are none.
 */
#ifndef MAPPA_UNAMBIGUOUS_H
#define MAPPA_UNAMBIGUOUS_H

#include <stddef.h>

/*
 * Whether data (len bytes, a .tar.gz or a .zip by its first bytes) holds nothing that one
 * reader of it would see and another not: a .tar.gz is one gzip member that ends where the
 * data ends, and after its tar's end-of-archive marker there are only zeros; a .zip's entries
 * follow one another from its first byte to its central directory, each listed there under
 * its own name, and its end record ends the data. 0; or -1 with why (a sentence, NUL-ended,
 * cut to whysize) when it does not hold or cannot be told (a damaged stream, zip64, more than
 * max_unpacked bytes of tar). The tar's entries are files, folders, links, pax headers of one
 * entry that set no size and GNU long names; a pax global header, which readers apply
 * differently, is refused. A zip entry's own header says what the directory says (flags,
 * method, checksum, sizes; after its data when bit 3 says so). Data in neither format is
 * refused too, with -2: a plain tar may hold another archive after it.
 */
int unambiguous_archive(const unsigned char *data, size_t len, size_t max_unpacked, char *why,
			size_t whysize);

/*
 * The name of the k-th entry (from 0) of a zip in data, in the order of the data (an archive
 * unambiguous_archive accepts: the order in which libarchive reads it), as the archive holds it:
 * its bytes, not converted to a locale, and a backslash left as it is. Into dst (size bytes,
 * NUL-ended); its length, or -1 when data is no such zip, there is no k-th entry, or the name
 * holds a NUL or does not fit.
 */
long unambiguous_zip_name(const unsigned char *data, size_t len, size_t k, char *dst, size_t size);

#endif
