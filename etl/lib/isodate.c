#include "isodate.h"

#include <string.h>
#include <time.h>

int isodate_parse(const char *s, int *y, int *m, int *d)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int yy, mm, dd;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	yy = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	mm = (s[5] - '0') * 10 + (s[6] - '0');
	dd = (s[8] - '0') * 10 + (s[9] - '0');
	if (mm < 1 || mm > 12 || dd < 1 || dd > mdays[mm - 1])
		return -1;
	if (mm == 2 && dd == 29 && !((yy % 4 == 0 && yy % 100 != 0) || yy % 400 == 0))
		return -1;
	/* there is no year 0 (XML Schema 1.0's xs:date) */
	if (yy == 0)
		return -1;
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
	return 0;
}

int isodate_today(char *buf, size_t size)
{
	time_t now = time(NULL);
	struct tm tm;

	if (size)
		buf[0] = '\0';
	if (size < 11 || now == (time_t)-1 || !gmtime_r(&now, &tm) ||
	    strftime(buf, size, "%Y-%m-%d", &tm) != 10) {
		if (size)
			buf[0] = '\0';
		return -1;
	}
	return 0;
}
