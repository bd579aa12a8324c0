# Segments: every command a developer or CI needs. See the README.
#   make run       set everything up and serve the app with demo data
#   make test      all tests (Go against a private PostgreSQL, SPA, browser)
#   make bench     benchmarks on generated data (see README for sizes)
#   make generate  regenerate gqlgen and GraphQL codegen output

GO        ?= go
BIN       := bin/segments
DATA_DIR  ?= .data
TEST_DATA ?= $(DATA_DIR)/test
WITHPG    := $(GO) run ./server/pgembed/withpg -data-dir $(TEST_DATA) --
# make run's demo admin; its password is made on the first run and kept
# (like the demo database) under DATA_DIR, which git ignores.
DEMO_ADMIN         ?= admin@example.com
DEMO_PASSWORD_FILE := $(DATA_DIR)/demo-admin-password
FRONTEND_SRC := $(shell find frontend/src frontend/public frontend/index.html frontend/graphiql.html frontend/vite.config.ts -type f 2>/dev/null)

.PHONY: run build test test-go test-web test-e2e test-http bench generate fmt clean

run: build
	$(BIN) seed --if-empty
	@test -s $(DEMO_PASSWORD_FILE) || (mkdir -p $(DATA_DIR) && umask 077 && \
		head -c 18 /dev/urandom | base64 | tr '+/' '-_' > $(DEMO_PASSWORD_FILE))
	$(BIN) user create --email $(DEMO_ADMIN) --role admin --if-absent < $(DEMO_PASSWORD_FILE)
	@echo "Sign in at $${PUBLIC_URL:-http://$${ADDR:-127.0.0.1:8080}} as $(DEMO_ADMIN) with password $$(cat $(DEMO_PASSWORD_FILE))"
	$(BIN) serve

build: $(BIN)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

frontend/dist/index.html: node_modules/.installed $(FRONTEND_SRC) schema.graphql
	npm run build

$(BIN): frontend/dist/index.html $(shell find server graph frontend -name '*.go' -type f) go.mod go.sum
	$(GO) build -o $(BIN) ./server

test: test-go test-web test-e2e test-http

test-go:
	$(GO) vet ./...
	$(WITHPG) $(GO) test -count=1 ./...

test-web: node_modules/.installed
	npm run typecheck
	npm test

test-e2e: build
	$(WITHPG) npm run e2e

# GraphQL over HTTP conformance: graphql-http's audit against the real server.
test-http: build
	$(WITHPG) npm run audit-http

# make bench BENCH_FLAGS="-customers 100000 -orders 500000 -only pages -states fresh,analyze,vacuum"
# make bench BENCH_FLAGS="-only peer -load-duration 5s -load-reps 1"   (against PostGraphile 5; -peer=false offline)
bench: build
	$(WITHPG) $(GO) run ./server/bench $(BENCH_FLAGS)

generate: node_modules/.installed
	$(GO) run ./graph/generate
	npm run codegen

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin frontend/dist/assets frontend/dist/*.html node_modules/.installed
