# One image per node, built from the repository with Maven:
#   docker build --build-arg NODE=customer-node -t helpdesk/customer-node .
#   docker build --build-arg NODE=backoffice-node -t helpdesk/backoffice-node .
ARG NODE=customer-node

# pinned, as every image of the compose stack
FROM maven:3.9.9-eclipse-temurin-17 AS build
ARG NODE
WORKDIR /src
# dependencies first, so that a source change does not download them again (a failure here is a
# failure of the build: an unresolvable dependency would only fail later, less clearly)
COPY pom.xml .
COPY embedded-infra/pom.xml embedded-infra/
COPY test-support/pom.xml test-support/
COPY protocol/pom.xml protocol/
COPY amqp/pom.xml amqp/
COPY platform-persistence/pom.xml platform-persistence/
COPY platform-node/pom.xml platform-node/
COPY backoffice-node/pom.xml backoffice-node/
COPY customer-node/pom.xml customer-node/
COPY launcher/pom.xml launcher/
COPY architecture-tests/pom.xml architecture-tests/
COPY system-tests/pom.xml system-tests/
COPY benchmark/pom.xml benchmark/
RUN mvn -B -q -pl ${NODE} -am dependency:go-offline -Dmaven.test.skip=true
COPY . .
RUN mvn -B -q -pl ${NODE} -am package -Dmaven.test.skip=true && cp ${NODE}/target/${NODE}.jar /node.jar

FROM eclipse-temurin:17.0.13_11-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 helpdesk
COPY --from=build /node.jar /app/node.jar
USER helpdesk
# HTTP (8081 customer, 8082 backoffice), Pekko remoting (2551 customer, 2552 backoffice) and
# Pekko Management (7626: Cluster Bootstrap's contact point, /ready, /alive)
EXPOSE 8081 8082 2551 2552 7626
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/node.jar"]
