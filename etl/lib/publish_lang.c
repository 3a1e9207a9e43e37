#include "publish_lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "publish.h"
#include "publish_private.h"
#include "publish_release.h"

/*
 * The table: one row per message, one column per language. The English column is what the
 * English pages print (the symbols' meanings are publish_symbol_lines, shared with README.txt
 * and the text sections). The Welsh column is a machine-assisted draft, to be checked by a
 * fluent Welsh reviewer before the first publication: keep the two columns side by side.
 */
static const char *const messages[MSG_COUNT][PUBLISH_LANGS] = {
	[MSG_LANG_CODE] = { "en", "cy" },
	[MSG_LANG_NAME] = { "English", "Cymraeg" },
	[MSG_OTHER_LANG_INTRO] = { "This page is also published in Welsh:",
				   "Mae'r dudalen hon ar gael yn Saesneg hefyd:" },
	[MSG_PAGE_TITLE] = { "MAPPA statistics: %s, %s", "Ystadegau MAPPA: %s, %s" },
	[MSG_INTRO] = {
		"Multi-Agency Public Protection Arrangements (MAPPA): the figures of the area's "
		"Annual Report.",
		"Trefniadau Amlasiantaethol Diogelu'r Cyhoedd (MAPPA): ffigurau Adroddiad Blynyddol "
		"yr ardal." },
	[MSG_SUMMARY_LINK] = { "England and Wales summary",
			       "Crynodeb Cymru a Lloegr (yn Saesneg)" },
	[MSG_AREA_MISSING] = {
		"This area sent no valid return for the period: its figures are not available [x].",
		"Ni anfonodd yr ardal hon ffurflen ddilys ar gyfer y cyfnod: nid yw ei ffigurau ar "
		"gael [x]." },
	[MSG_CATEGORY4] = {
		"Figures for Category 4 (terrorism and terrorism risk offenders) are not published "
		"for areas; they are included in the national tables. Totals are over Categories 1 "
		"to 3.",
		"Nid yw ffigurau Categori 4 (troseddwyr terfysgaeth a throseddwyr sy'n peri risg "
		"terfysgaeth) yn cael eu cyhoeddi ar gyfer ardaloedd; maent wedi'u cynnwys yn y tablau "
		"cenedlaethol. Mae'r cyfansymiau'n cynnwys Categorïau 1 i 3." },
	[MSG_SYMBOLS_KEY] = {
		"In the tables a symbol stands in for a figure that is not published: [c] "
		"confidential, [z] or - not applicable, [x] not available. ",
		"Yn y tablau, mae symbol yn sefyll yn lle ffigur nad yw'n cael ei gyhoeddi: [c] "
		"cyfrinachol, [z] neu - amherthnasol, [x] ddim ar gael. " },
	[MSG_SYMBOLS_LINK] = { "What the symbols mean", "Ystyr y symbolau" },
	[MSG_SYMBOLS_HEADING] = { "Symbols", "Symbolau" },
	[MSG_SYMBOL_C] = { NULL,
		"[c] cyfrinachol: wedi'i ddal yn ôl fel na ellir adnabod unrhyw unigolyn. Nid yw "
		"cyfrif o %s yn cael ei gyhoeddi, nac unrhyw ffigur y gellid cyfrifo cyfrif o'r "
		"fath ohono; nid yw ffigurau Categori 4 byth yn cael eu cyhoeddi ar gyfer ardal, ac "
		"maent yn ymddangos yn y tablau cenedlaethol yn unig." },
	[MSG_SYMBOL_Z] = { NULL,
		"- (neu [z]) amherthnasol: ni ellir rheoli unigolion Categori 3 ar lefel 1." },
	[MSG_SYMBOL_X] = { NULL,
		"[x] ddim ar gael: ni anfonodd yr ardal ffurflen ddilys ar gyfer y cyfnod." },
	[MSG_SYMBOL_R] = {
		"[r] revised: the figure differs from this period's earlier publication (another "
		"return from the area, the national total of one, or a figure withheld before and "
		"not needed to protect another now); revisions.csv lists every figure that changed.",
		"[r] diwygiedig: mae'r ffigur yn wahanol i gyhoeddiad cynharach y cyfnod hwn "
		"(ffurflen arall gan yr ardal, y cyfanswm cenedlaethol o un, neu ffigur a ddaliwyd "
		"yn ôl o'r blaen nad oes ei angen nawr i ddiogelu un arall); mae revisions.csv "
		"yn rhestru pob ffigur a newidiodd." },
	[MSG_ABBR_C] = { "confidential", "cyfrinachol" },
	[MSG_ABBR_Z] = { "not applicable", "amherthnasol" },
	[MSG_ABBR_X] = { "not available", "ddim ar gael" },
	[MSG_ABBR_R] = { "revised", "diwygiedig" },
	[MSG_LEVEL] = { "Level", "Lefel" },
	[MSG_MEASURE] = { "Measure", "Mesur" },
	[MSG_NUMBER] = { "Number", "Nifer" },
	[MSG_AREA] = { "Area", "Ardal" },
	[MSG_TOTAL] = { "Total", "Cyfanswm" },
	[MSG_LEVEL_N] = { "Level %d", "Lefel %d" },
	[MSG_CATEGORY_1] = { "Category 1: subject to sex offender notification requirements",
			     "Categori 1: yn ddarostyngedig i ofynion hysbysu troseddwyr rhyw" },
	[MSG_CATEGORY_2] = { "Category 2: violent offenders", "Categori 2: troseddwyr treisgar" },
	[MSG_CATEGORY_3] = { "Category 3: other dangerous offenders",
			     "Categori 3: troseddwyr peryglus eraill" },
	[MSG_CATEGORY_4] = { "Category 4: terrorism and terrorism risk offenders",
			     "Categori 4: troseddwyr terfysgaeth a throseddwyr sy'n peri risg "
			     "terfysgaeth" },
	[MSG_CATEGORY_ALL] = { "Total (categories 1-4)", "Cyfanswm (categorïau 1-4)" },
	[MSG_CATEGORY_1_3] = { "Total (categories 1-3)", "Cyfanswm (categorïau 1-3)" },
	[MSG_POPULATION] = { "Population aged 10 and over", "Poblogaeth 10 oed a throsodd" },
	[MSG_APPROXIMATE] = { " (approximate)", " (bras)" },
	[MSG_RATE_PER] = { "Rate per %s population aged 10 and over",
			   "Cyfradd fesul %s o'r boblogaeth 10 oed a throsodd" },
	[MSG_SINGLES_TITLE] = {
		"Notification requirements and restrictive orders for Category 1 offenders",
		"Gofynion hysbysu a gorchmynion cyfyngu ar gyfer troseddwyr Categori 1" },
	[MSG_POP_NOTE] = {
		"The rate is the number of Category 1 individuals (subject to sex offender "
		"notification requirements) per 100,000 of the population aged 10 and over (",
		"Y gyfradd yw nifer yr unigolion Categori 1 (sy'n ddarostyngedig i ofynion hysbysu "
		"troseddwyr rhyw) fesul 100,000 o'r boblogaeth 10 oed a throsodd (" },
	[MSG_POP_OFFICIAL] = { "), using %s.", "), gan ddefnyddio %s." },
	[MSG_POP_APPROXIMATE] = {
		"). This population is an approximation, not an official estimate (README.txt says "
		"how it was made), so the rate is approximate too.",
		"). Brasamcan yw'r boblogaeth hon, nid amcangyfrif swyddogol (mae README.txt, yn "
		"Saesneg, yn egluro sut y'i lluniwyd), felly mae'r gyfradd yn un fras hefyd." },
	[MSG_REL_DATE] = { "Release date", "Dyddiad cyhoeddi" },
	[MSG_REL_NEXT] = { "Next release", "Y datganiad nesaf" },
	[MSG_REL_PRODUCER] = { "Producer", "Cynhyrchydd" },
	[MSG_REL_SOURCE] = { "Source", "Ffynhonnell" },
	[MSG_REL_CONTACT] = { "Contact", "Cysylltu" },
	[MSG_REL_EMAIL] = { "Email", "E-bost" },
	[MSG_REL_PHONE] = { "Telephone", "Ffôn" },
	[MSG_REL_METHODOLOGY] = { "Methodology", "Methodoleg" },
	[MSG_REL_LICENCE] = { "Licence", "Trwydded" },
	[MSG_REL_PROVISIONAL] = { " (provisional)", " (dros dro)" },
	[MSG_REL_SOURCE_TEXT] = {
		"The yearly statistical returns of the MAPPA areas of England and Wales",
		"Ffurflenni ystadegol blynyddol ardaloedd MAPPA Cymru a Lloegr" },
	[MSG_REL_LICENCE_TEXT] = { PUBLISH_LICENCE, "Trwydded Llywodraeth Agored v3.0" },
	[MSG_REL_LICENCE_URL] = { PUBLISH_LICENCE_URL,
		"https://www.nationalarchives.gov.uk/doc/open-government-licence-cymraeg/version/3/" },
	[MSG_CATEGORY_N] = { "Category %d", "Categori %d" },
	[MSG_WELSH_SUMMARY] = {
		"This bundle holds the published statistics of the Multi-Agency Public Protection "
		"Arrangements (MAPPA) of England and Wales for the year 1 April %d to 31 March %d. The "
		"sections of the four Welsh areas (%s) are also in Welsh.",
		"Mae'r bwndel hwn yn cynnwys ystadegau cyhoeddedig Trefniadau Amlasiantaethol Diogelu'r "
		"Cyhoedd (MAPPA) Cymru a Lloegr ar gyfer y flwyddyn 1 Ebrill %d i 31 Mawrth %d. Mae "
		"adrannau pedair ardal Cymru (%s) ar gael yn Gymraeg hefyd." },
	[MSG_WELSH_FILES] = {
		"Each Welsh area's section: areas/CODE-NAME.cy.html (web page) and areas/CODE-NAME.cy.txt "
		"(plain text). The other files are in English.",
		"Adran pob ardal yng Nghymru: areas/COD-ENW.cy.html (tudalen we) ac areas/COD-ENW.cy.txt "
		"(testun plaen). Mae'r ffeiliau eraill yn Saesneg." },
	[MSG_MONTHS] = {
		"January|February|March|April|May|June|July|August|September|October|November|December",
		"Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr" },
};

const char *publish_msg(enum publish_lang lang, enum publish_msg msg)
{
	const char *s;

	if ((unsigned)msg >= MSG_COUNT)
		return "";
	if ((unsigned)lang >= PUBLISH_LANGS)
		lang = PUBLISH_EN;
	if (lang == PUBLISH_EN && msg >= MSG_SYMBOL_C && msg <= MSG_SYMBOL_X)
		return publish_symbol_lines[msg - MSG_SYMBOL_C];
	s = messages[msg][lang];
	return s ? s : "";
}

/* The number in the first width characters of s when they are all digits. */
static int iso_digits(const char *s, size_t width, int *out)
{
	char buf[5];
	if (width >= sizeof buf || strlen(s) < width || strspn(s, "0123456789") < width)
		return 0;
	memcpy(buf, s, width);
	buf[width] = '\0';
	*out = (int)strtol(buf, NULL, 10);
	return 1;
}

const char *publish_lang_date(enum publish_lang lang, const char *iso, char *buf, size_t size)
{
	int y = 0, m = 0, d = 0, n;
	const char *months = publish_msg(lang, MSG_MONTHS), *p = months;
	size_t len;

	if (!iso)
		iso = "";
	/* YYYY-MM-DD or YYYY-MM, digits only */
	n = iso_digits(iso, 4, &y) && iso[4] == '-' && iso_digits(iso + 5, 2, &m);
	if (n && iso[7] == '-' && iso_digits(iso + 8, 2, &d) && iso[10] == '\0')
		;
	else if (n && iso[7] == '\0')
		d = 0;
	else
		m = 0;
	if (m < 1 || m > 12 || strlen(iso) < 7) {
		snprintf(buf, size, "%s", iso);
		return buf;
	}
	for (int i = 1; i < m; i++)
		p = strchr(p, '|') + 1;
	len = strcspn(p, "|");
	if (d)
		snprintf(buf, size, "%d %.*s %d", d, (int)len, p, y);
	else
		snprintf(buf, size, "%.*s %d", (int)len, p, y);
	return buf;
}

int publish_lang_has_welsh(const char *code)
{
	return code && strncmp(code, "W15", 3) == 0;
}

void publish_lang_area_file(const char *code, const char *name, enum publish_lang lang,
			    char *buf, size_t size)
{
	char slug[80];
	publish_slug(name, slug, sizeof slug);
	snprintf(buf, size, "%s-%s%s.html", code, slug, lang == PUBLISH_CY ? ".cy" : "");
}
