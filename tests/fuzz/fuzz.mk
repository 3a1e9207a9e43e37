# Fuzzing with libFuzzer (clang). Included by the top-level Makefile.
#   make fuzz            build every target and run each for FUZZ_SECONDS (default 60)
#   make fuzz-smoke      run each for FUZZ_SMOKE_SECONDS (default 10): about a minute in all;
#                        fails on any crash, leak, timeout or out-of-memory
#   make fuzz-build      only build the targets into $(BUILD)/fuzz/
#   make fuzz-run-<t>    run one target (t = areas, dataset, defs, policy, return) for
#                        FUZZ_SECONDS
#   make fuzz-crashes    replay tests/fuzz/crashes/ (library bugs not fixed yet): fails while any
#                        still crashes
#   make fuzz-seeds      regenerate the observations seeds with the library's writer
# The library is compiled again here with clang and the fuzzer's instrumentation, into its own
# folder: the gcc objects of the normal build are never reused. Crashes and leaks are written to
# $(BUILD)/fuzz/artifacts/; new inputs to $(BUILD)/fuzz/work/<t>/ (the checked-in seed corpora
# in tests/fuzz/corpus/<t>/ are only read). docs/testing.md says how to reproduce a finding.

FUZZ_CC            ?= clang
FUZZ_SECONDS       ?= 60
FUZZ_SMOKE_SECONDS ?= 10
FUZZ_DIR           := $(BUILD)/fuzz
# every tests/fuzz/fuzz_<t>.c is a target <t>
FUZZ_TARGETS       := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS          := $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
FUZZ_SAN           := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                      -fno-omit-frame-pointer
FUZZ_CFLAGS        := -std=c11 -D_POSIX_C_SOURCE=200809L -DMAPPA_VERSION='"$(VERSION)"' \
                      -DMAPPA_FUZZING -g -O1 -Wall -Wextra $(PKG_CFLAGS) -Ietl/lib -I$(BUILD)/gen \
                      $(FUZZ_SAN) -MMD -MP
FUZZ_LIB_OBJ       := $(LIB_SRC:%.c=$(FUZZ_DIR)/obj/%.o) $(FUZZ_DIR)/obj/gen/embedded.o
# A new reader gets its target by adding tests/fuzz/fuzz_<t>.c (fuzz_policy.c is the model for
# a reader of one XML file against its compiled-in schema), seeds in tests/fuzz/corpus/<t>/
# and a tests/fuzz/<t>.dict; nothing here changes.
# Options for every run: a time limit per input (s), a memory cap, and inputs up to 16 KiB (the
# largest seed, reference/areas.xml, is 9 KiB; a return is 2-3 KiB).
FUZZ_OPTS          := -timeout=10 -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1
FUZZ_ENV           := ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:abort_on_error=0 \
                      UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

.PHONY: fuzz fuzz-build fuzz-smoke fuzz-clean $(FUZZ_TARGETS:%=fuzz-run-%)

fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/obj/%.o: %.c | $(DEPS_OK)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/obj/gen/embedded.o: $(BUILD)/gen/embedded.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_DIR)/libmappa-fuzz.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz_common.h $(FUZZ_DIR)/libmappa-fuzz.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer -o $@ $< $(FUZZ_DIR)/libmappa-fuzz.a \
		$(PKG_LIBS)

# Runs one target for $(1) seconds on its work corpus and the seeds, with its dictionary.
define fuzz_run
	@mkdir -p $(FUZZ_DIR)/work/$(1) $(FUZZ_DIR)/artifacts
	$(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$(1) $(FUZZ_OPTS) -max_total_time=$(2) \
		-artifact_prefix=$(FUZZ_DIR)/artifacts/$(1)- \
		$(if $(wildcard tests/fuzz/$(1).dict),-dict=tests/fuzz/$(1).dict) \
		$(FUZZ_DIR)/work/$(1) $(wildcard tests/fuzz/corpus/$(1))
endef

$(FUZZ_TARGETS:%=fuzz-run-%): fuzz-run-%: $(FUZZ_DIR)/fuzz_%
	$(call fuzz_run,$*,$(FUZZ_SECONDS))

fuzz: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory fuzz-run-$$t; done

fuzz-smoke: $(FUZZ_BINS)
	FUZZ_DIR=$(FUZZ_DIR) FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) sh tests/fuzz/smoke.sh $(FUZZ_TARGETS)

fuzz-clean:
	rm -rf $(FUZZ_DIR)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BINS:%=%.d)

# Regenerates the observations seeds with the library's own writer (gcc build; checked in).
.PHONY: fuzz-seeds
fuzz-seeds: $(FUZZ_DIR)/gen_dataset_seed
	@mkdir -p tests/fuzz/corpus/dataset
	set -e; for s in normalised merged suppressed; do \
		$(FUZZ_DIR)/gen_dataset_seed $$s > tests/fuzz/corpus/dataset/$$s.obs; done

$(FUZZ_DIR)/gen_dataset_seed: tests/fuzz/gen_dataset_seed.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS)) -o $@ $< $(LIB) $(PKG_LIBS)

# Replays the reproducers of library bugs, tests/fuzz/crashes/<t>-*: fails while any of them
# still crashes. A reproducer whose bug is fixed moves to tests/fuzz/corpus/<t>/.
.PHONY: fuzz-crashes
fuzz-crashes: $(FUZZ_BINS)
	@fail=0; for f in tests/fuzz/crashes/*-*; do \
		[ -f "$$f" ] || continue; t=$$(basename "$$f" | sed 's/-.*//'); \
		if $(FUZZ_ENV) $(FUZZ_DIR)/fuzz_$$t "$$f" >$(FUZZ_DIR)/crash-replay.log 2>&1; then \
			echo "fixed:    $$f"; else echo "CRASHES:  $$f (build/fuzz/fuzz_$$t $$f)"; fail=1; fi; \
	done; exit $$fail
