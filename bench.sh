#!/usr/bin/env bash
# Builds the nodes and the benchmark, then runs it: both nodes as processes on the PostgreSQL and
# broker that DATABASE_URL and AMQP_URI name (else local ones, else embedded), against the
# machine's own commit and publish rates. `./bench.sh --help` lists the options.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -Dmaven.test.skip=true -pl customer-node,backoffice-node,benchmark -am package
exec java -jar benchmark/target/benchmark.jar "$@"
