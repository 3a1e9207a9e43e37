# Static analysis and valgrind. Included by the top-level Makefile.
#   make lint        cppcheck over etl/ and every C file of tests/, clang-tidy over etl/ and the
#                    tests' C (support, unit tests, benchmark); fails on any finding (about two
#                    minutes)
#   make valgrind    bin/mappa-validate over every fixture, and every unit test program of
#                    $(BUILD)/tests/, under valgrind memcheck; fails on any error or leak
# Findings that are false positives are suppressed here (cppcheck) or in .clang-tidy, each
# with its reason; docs/testing.md lists them.

CPPCHECK      ?= cppcheck
CLANG_TIDY    ?= clang-tidy
VALGRIND      ?= valgrind
LINT_JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
LINT_SRC       = $(sort $(wildcard etl/*.c etl/lib/*.c etl/fe/*.c tests/support/*.c \
                                   tests/unit/*.c tests/bench/*.c tests/e2e/*.c))

# cppcheck false positives, narrowly by id and file:
#  arrayIndexThenCheck in diag.c (diag_quote): s is a NUL-terminated string (diag.h), so s[i]
#    is read before i < max safely; max only caps how much is quoted.
CPPCHECK_SUPPRESS := --suppress=arrayIndexThenCheck:etl/lib/diag.c

CPPCHECK_FLAGS := --enable=warning,portability,performance --error-exitcode=1 --inline-suppr \
                  --std=c11 -I etl/lib -I etl/fe -I tests/support --quiet $(CPPCHECK_SUPPRESS)

# clang-tidy sees what the compiler sees: the build's -D and -I flags (not the warnings, which
# are gcc's). MAPPA_VERSION comes from a one-line header, so that no flag needs quoting.
# Checks and their reasons: .clang-tidy.
LINT_DIR     = $(BUILD)/lint
TIDY_CFLAGS  = -std=c11 -D_POSIX_C_SOURCE=200809L -include $(LINT_DIR)/version.h \
               $(PKG_CFLAGS) -Ietl/lib -Ietl/fe -Itests/support -I$(BUILD)/gen

# clang-tidy false positives, each by file and check (not by line, so that an edit elsewhere in
# the file does not bring it back), with its reason; docs/testing.md lists them:
#  bundle.c clang-analyzer-unix.Malloc: bundle_add_manifest frees the manifest's entry and
#    moves the last entry into its slot; when it was the last, --nfiles puts the freed slot out
#    of range, which the analyzer does not follow into bundle_manifest_text.
#  bundle.c bugprone-sizeof-expression: sorted_files allocates an array of pointers,
#    n * sizeof *out with out a `const struct bundle_file **`, which is right.
#  publish.c cert-err34-c: publish_period_years checks that the period is 4 digits, '-', 2
#    digits before its two atoi calls, so no conversion can fail.
#  sample.c bugprone-branch-clone: suppress_area spells three different conditions for a
#    primary suppression as three branches on purpose (one per kind of cell).
#  audit.c clang-analyzer-core.UndefinedBinaryOperatorResult (lines 301, 613, 661, 679 today):
#    the analyzer takes malloc'd arrays (row_start, olo/ohi) for uninitialised where loops it
#    cannot follow fill them first (row_start[nrow] is set as each row ends); valgrind runs the
#    same paths in test_audit and test_sdc and sees no uninitialised read.
#  sdc.c clang-analyzer-core.NullDereference (fc[nf] in the relations loop): it needs
#    need = nm + 1 to wrap to 0, i.e. rel_start not increasing, which the problem never is.
#  xmlsafe.c performance-no-int-to-ptr: start_element keeps an element's line in its _private
#    field as libxml2 keeps a text's in psvi (XML_PARSE_BIG_LINES); xmlsafe_line reads it back.
#    The field is never dereferenced.
#  policy.c bugprone-implicit-widening-of-multiplication-result: MAX_POLICY_BYTES is the
#    constant (1024 * 1024), compared with a size_t and a long.
TIDY_SUPPRESS := etl/lib/bundle.c:clang-analyzer-unix.Malloc \
                 etl/lib/audit.c:clang-analyzer-core.UndefinedBinaryOperatorResult \
                 etl/lib/sdc.c:clang-analyzer-core.NullDereference \
                 etl/lib/policy.c:bugprone-implicit-widening-of-multiplication-result \
                 etl/lib/xmlsafe.c:performance-no-int-to-ptr \
                 etl/lib/bundle.c:bugprone-sizeof-expression \
                 etl/lib/publish.c:cert-err34-c \
                 tests/support/sample.c:bugprone-branch-clone

# Reads clang-tidy's output; prints every diagnostic (with its notes) that no TIDY_SUPPRESS
# entry covers; exits 1 when it printed one. A diagnostic's first line is
# "FILE:LINE:COL: error|warning: TEXT [check,...]".
define LINT_TIDY_AWK
BEGIN { n = split(supp, s, " "); bad = 0; keep = 0 }
/^[^ ].*:[0-9]+:[0-9]+: (error|warning): / {
	keep = 1
	for (i = 1; i <= n; i++) {
		split(s[i], fc, ":")
		if (index($$0, fc[1] ":") && index($$0, "[" fc[2]))
			keep = 0
	}
	if (keep)
		bad++
}
/^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$$/ || /^Suppressed [0-9]+ warnings/ ||
/^Use -header-filter=/ || /^Error while processing/ { next }
/^Stack dump:/ || /PLEASE submit a bug report/ { print "clang-tidy crashed"; bad++ }
keep { print }
END { exit bad > 0 }
endef
export LINT_TIDY_AWK

.PHONY: lint lint-cppcheck lint-tidy valgrind

lint: lint-cppcheck lint-tidy
	@echo "lint: clean"

lint-cppcheck:
	$(CPPCHECK) $(CPPCHECK_FLAGS) etl/ tests/support tests/unit tests/bench tests/fuzz

$(LINT_DIR)/version.h: Makefile
	@mkdir -p $(@D)
	@echo '#define MAPPA_VERSION "$(VERSION)"' > $@

# One clang-tidy per file, LINT_JOBS at a time, each into its own log (so that the outputs do
# not mix); then the findings that are not suppressed. A file clang-tidy cannot compile is a
# failure too (its errors are diagnostics like the others).
lint-tidy: $(BUILD)/gen/embedded.c $(LINT_DIR)/version.h
	@rm -rf $(LINT_DIR)/tidy && mkdir -p $(LINT_DIR)/tidy
	@printf '%s\n' $(LINT_SRC) | xargs -P $(LINT_JOBS) -I{} sh -c \
		'$(CLANG_TIDY) --quiet --config-file=.clang-tidy "$$1" -- $(TIDY_CFLAGS) \
		 >"$(LINT_DIR)/tidy/$$(echo "$$1" | tr / _).log" 2>&1; exit 0' _ {}
	@cat $(LINT_DIR)/tidy/*.log | awk -v supp="$(TIDY_SUPPRESS)" "$$LINT_TIDY_AWK" || \
		{ echo "lint-tidy: findings above" >&2; exit 1; }

# valgrind: exit status 1 is valgrind's (--error-exitcode=1); the programs' own statuses are
# 0, 64-75 (mappa-validate) and the number of failed tests (cmocka), so each log's ERROR SUMMARY
# is checked too. Logs: $(BUILD)/valgrind/.
# VALGRIND_EXTRA=--track-origins=yes says where an uninitialised value came from (twice as slow:
# test_sdc's randomised linked-table properties take minutes under valgrind already).
VALGRIND_EXTRA ?=
VALGRIND_FLAGS := --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
                  --show-leak-kinds=definite,indirect $(VALGRIND_EXTRA)
# VALGRIND_TESTS: the unit test programs to run, e.g. to leave out a slow one. By default all
# but test_protect: it suppresses the 42 fixtures for every reader of the policy twice and
# about forty random linked datasets (100 s of CPU), which memcheck would make most of an
# hour; the same code runs under memcheck in scripts/valgrind-run.sh (mappa-suppress on the
# fixtures) and under ASan and UBSan in make check-sanitize.
VALGRIND_TESTS ?= $(filter-out $(BUILD)/tests/test_protect,$(TESTS))
VALGRIND_SETS  := valid=fixtures/valid invalid=fixtures/invalid returns=fixtures/returns/2022-23

valgrind: all $(VALGRIND_TESTS)
	@mkdir -p $(BUILD)/valgrind; fail=0; \
	check() { \
		if [ "$$2" -eq 1 ] || [ "$$2" -ge 128 ] || \
		   ! grep -q 'ERROR SUMMARY: 0 errors' "$$3"; then \
			echo "valgrind: $$1 FAILED (exit $$2), log $$3"; sed -n '/^==[0-9]*== [A-Z]/,$$p' "$$3" | head -n 40; fail=1; \
		else echo "valgrind: $$1 ok"; fi; \
	}; \
	for set in $(VALGRIND_SETS); do \
		name=$${set%%=*}; dir=$${set#*=}; log=$(BUILD)/valgrind/validate-$$name.log; \
		$(VALGRIND) $(VALGRIND_FLAGS) --log-file=$$log $(BIN)/mappa-validate --quiet $$dir/*.xml \
			>/dev/null 2>&1; \
		check "mappa-validate $$dir/*.xml" $$? $$log; \
		log=$(BUILD)/valgrind/validate-$$name-xml.log; \
		$(VALGRIND) $(VALGRIND_FLAGS) --log-file=$$log $(BIN)/mappa-validate --format=xml \
			--reference reference/areas.xml --schema schemas/return.xsd $$dir/*.xml >/dev/null 2>&1; \
		check "mappa-validate --format=xml --reference --schema $$dir/*.xml" $$? $$log; \
	done; \
	for t in $(VALGRIND_TESTS); do \
		log=$(BUILD)/valgrind/$$(basename $$t).log; \
		$(VALGRIND) $(VALGRIND_FLAGS) --log-file=$$log $$t >/dev/null 2>&1; rc=$$?; \
		check "$$t" $$rc $$log; \
		if [ $$rc -ne 0 ] && [ $$rc -ne 1 ]; then echo "valgrind: $$t: tests failed (exit $$rc)"; fail=1; fi; \
	done; \
	[ $$fail -eq 0 ] && echo "valgrind: clean"; exit $$fail
