# Convenience targets over scripts/: `make run`, `make test`, `make bench`, `make fuzz`.
.PHONY: run test setup bench e2e fuzz

setup:
	bash scripts/setup.sh

run:
	bash scripts/run.sh

test:
	bash scripts/test.sh

e2e:
	cargo build -p sextant-desktop && cargo test -p sextant-e2e -- --test-threads=1

bench:
	bash scripts/bench.sh

# Every fuzz target for FUZZ_SECONDS seconds each (default 600); see fuzz/README.md.
fuzz:
	bash scripts/fuzz.sh
