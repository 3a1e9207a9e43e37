# MAPPA returns pipeline.
#   make              build every program into bin/
#   make run          run bin/mappa-run (the unattended run) on the bundled fixtures into out/
#   make install      install the programs, man pages, default policy and example systemd unit
#                     and cron line under $(DESTDIR)$(PREFIX) (GNU conventions; PREFIX=/usr/local)
#   make check        run every test (unit, end-to-end)
#   make check-sanitize   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make check-threads    the readers' audits (two threads) under ThreadSanitizer
# Missing Debian packages are installed first when run as root (scripts/ensure-deps.sh).

VERSION   := 0.1.0
BUILD     ?= build
BIN       ?= bin
CC        ?= cc
CFLAGS    ?= -O2 -g
SANITIZE  ?=
PREFIX    ?= /usr/local
DESTDIR   ?=

PKGS      := libxml-2.0 libarchive zlib libzip nettle
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lglpk -lm
WARN      := -Wall -Wextra -Werror -Wshadow -Wconversion -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -Wvla
# No stack frame over 16 KB in the programs and the library: under an address-space limit
# (ulimit -v) the stack may not grow, and a frame of 282 KB (a dataset is 45 KB) crashed with
# SIGSEGV instead of the out-of-memory message and 70 (QA). The unit tests keep their
# datasets on the stack (they never run under such a limit), and a sanitizer's build, whose
# redzones make frames larger, cannot run under one (it reserves terabytes of address space).
FRAME      = $(if $(strip $(SAN)),,-Wframe-larger-than=16384)
ifeq ($(SANITIZE),1)
SAN       := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif
# The debug information names the sources relative to the tree (-ffile-prefix-map): an
# installed program does not carry the path it was built in, and two trees build the same bytes.
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -DMAPPA_VERSION='"$(VERSION)"' $(WARN) $(FRAME) \
             $(PKG_CFLAGS) -Ietl/lib -Ietl/fe -Itests/support -I$(BUILD)/gen $(CFLAGS) $(SAN) -pthread -MMD -MP \
             -ffile-prefix-map=$(CURDIR)=.
ALL_LDFLAGS = $(SAN) -pthread $(LDFLAGS)

# Files compiled into the programs, so that they run from anywhere.
EMBED := mappa_embed_return_xsd=schemas/return.xsd \
         mappa_embed_definitions_xml=schemas/definitions.xml \
         mappa_embed_definitions_xsd=schemas/definitions.xsd \
         mappa_embed_reference_xsd=schemas/reference.xsd \
         mappa_embed_reference_xml=reference/areas.xml \
         mappa_embed_observations_xsd=schemas/observations.xsd \
         mappa_embed_policy_xsd=schemas/policy.xsd \
         mappa_embed_policy_xml=policy/default.xml \
         mappa_embed_release_xsd=schemas/release.xsd
# (an entry whose file does not exist yet is left out; only what uses it then fails to link)
EMBED := $(foreach e,$(EMBED),$(if $(wildcard $(word 2,$(subst =, ,$(e)))),$(e)))
EMBED_FILES := $(foreach e,$(EMBED),$(word 2,$(subst =, ,$(e))))

LIB_SRC   := $(sort $(wildcard etl/lib/*.c))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
LIB       := $(BUILD)/libmappa.a
# Test support (synthetic datasets): not library, linked into the tests and bin/mappa-sample.
SUPPORT_SRC := $(sort $(wildcard tests/support/*.c))
SUPPORT_OBJ := $(SUPPORT_SRC:%.c=$(BUILD)/%.o)
FE_SRC    := $(sort $(wildcard etl/fe/*.c))
FE_OBJ    := $(FE_SRC:%.c=$(BUILD)/%.o)
PROG_SRC  := $(sort $(wildcard etl/mappa-*.c))
PROGS     := $(PROG_SRC:etl/%.c=$(BIN)/%)
TEST_SRC  := $(sort $(wildcard tests/unit/test_*.c))
TESTS     := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
DEPS_OK   := $(BUILD)/.deps-ok

.SECONDARY:
.PHONY: bench all install run check check-unit check-e2e check-sanitize check-threads clean deps fixtures-xmllint
all: $(PROGS)

deps: $(DEPS_OK)
$(DEPS_OK): scripts/ensure-deps.sh
	@mkdir -p $(@D)
	@sh scripts/ensure-deps.sh
	@touch $@

$(BUILD)/gen/embedded.c: scripts/embed.sh $(EMBED_FILES) | $(DEPS_OK)
	@mkdir -p $(@D)
	sh scripts/embed.sh $@ $(EMBED)

$(BUILD)/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/tests/unit/%.o: FRAME :=

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.c
	$(CC) $(ALL_CFLAGS) -Wno-missing-variable-declarations -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN)/mappa-sample: $(BUILD)/etl/mappa-sample.o $(SUPPORT_OBJ) $(FE_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(SUPPORT_OBJ) $(FE_OBJ) $(LIB) $(PKG_LIBS)

$(BIN)/%: $(BUILD)/etl/%.o $(FE_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(FE_OBJ) $(LIB) $(PKG_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(SUPPORT_OBJ) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) $(TEST_WRAP) -o $@ $< $(SUPPORT_OBJ) $(LIB) $(PKG_LIBS) -lcmocka

# test_run makes the suppression fail on demand: run.c's call goes to its
# __wrap_protect_dataset_known (ld --wrap), which calls the real one otherwise
$(BUILD)/tests/test_run: TEST_WRAP := -Wl,--wrap=protect_dataset_known

$(BUILD)/bench/%: $(BUILD)/tests/bench/%.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIB) $(PKG_LIBS)

# Benchmarks (docs/performance.md): ratios to xmllint measured side by side in one run.
bench: all $(BUILD)/bench/bench_sdc
	bash scripts/bench $(BIN) $(BUILD)

run: all
	sh scripts/run-fixtures.sh $(BIN) out

install: all
	sh scripts/install.sh $(BIN) "$(DESTDIR)" "$(PREFIX)"

check: all $(TESTS) $(BUILD)/bench/bench_sdc
	MAPPA_BIN=$(abspath $(BIN)) MAPPA_BUILD=$(abspath $(BUILD)) sh tests/run.sh

check-sanitize:
	$(MAKE) BUILD=build/san BIN=bin/san SANITIZE=1 CFLAGS="-O1 -g" check

# The readers' audits run in two threads (etl/lib/readers.c): their unit tests, and the
# suppression and audit of the 42 fixtures, under ThreadSanitizer, which stops at the first
# data race; the dataset must be the one the plain build writes (scripts/check-threads.sh).
check-threads: all
	$(MAKE) BUILD=build/tsan BIN=bin/tsan SAN=-fsanitize=thread CFLAGS="-O1 -g" \
		bin/tsan/mappa-merge bin/tsan/mappa-suppress bin/tsan/mappa-audit \
		build/tsan/tests/test_readers
	sh scripts/check-threads.sh $(BIN) bin/tsan build/tsan

clean:
	rm -rf build bin out

-include $(FE_OBJ:.o=.d) $(SUPPORT_OBJ:.o=.d) $(LIB_OBJ:.o=.d) $(PROG_SRC:etl/%.c=$(BUILD)/etl/%.d) $(TEST_SRC:%.c=$(BUILD)/%.d)

# Fuzzing, static analysis and benchmarks live in their own makefiles.
-include tests/fuzz/fuzz.mk scripts/lint.mk
