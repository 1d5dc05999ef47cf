#!/usr/bin/env bash
# Builds the system and starts it: a customer node and a backoffice node, on the PostgreSQL and
# broker that DATABASE_URL and AMQP_URI name, or on embedded ones. Then it runs the demonstration
# scenario and serves until Ctrl-C. `./run.sh --scenario` runs the scenario and exits.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -q -Dmaven.test.skip=true -pl launcher -am package
exec java -jar launcher/target/helpdesk.jar "$@"
