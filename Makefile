# The same commands .ci/run uses; `make check` is what CI runs.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: build test lint check run demo bench bench-service

build:
	CGO_ENABLED=0 go build -trimpath -ldflags "$(LDFLAGS)" -o salesguard .

test:
	go test -race -count=1 ./...

lint:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))"
	go vet ./...

check:
	bash .ci/run

run:
	go run . run

demo:
	go run . demo

bench:
	go test -run '^$$' -bench . -benchmem -benchtime 3x -timeout 60m ./...

bench-service:
	bash scripts/bench-service.sh

.PHONY: fuzz
fuzz:
	bash scripts/fuzz.sh
