# voice-bridge image: built with the Maven Wrapper, run on a Temurin 25 JRE from Spring Boot's
# extracted layout with a JDK 25 AOT cache trained at build time (see docs/deploy/docker.md).
#
# Both base images are pinned to one exact Temurin release: the AOT cache is only valid on the
# JVM build that wrote it, and scripts/container-start.sh proves this start path on the same
# release (25.0.3+9). Pin the digests as well when you first build, from a machine that can
# reach the registry:  docker buildx imagetools inspect eclipse-temurin:25.0.3_9-jre-noble
# then write each FROM as image:tag@sha256:<digest>. (These files were written without access
# to the registry, so no digest is given here rather than an unverified one.)

FROM eclipse-temurin:25.0.3_9-jdk-noble AS build
WORKDIR /build
# Dependencies first, in their own layer, so a source change does not download them again.
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
RUN chmod +x mvnw && ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q package -DskipTests \
	&& java -Djarmode=tools -jar target/voice-bridge.jar extract --layers --destination /layers

FROM eclipse-temurin:25.0.3_9-jre-noble
WORKDIR /app
# One image layer per Spring Boot layer, the least often changed first, so that a code change
# ships a layer of about 100 KB instead of 47 MB. Together they are voice-bridge.jar and lib/.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
COPY docker/entrypoint.sh docker/healthcheck.sh ./
# The training run writes app.aot as root; the application runs as an unprivileged user that
# can read /app but not change it.
RUN chmod 755 entrypoint.sh healthcheck.sh \
	&& ./entrypoint.sh --train \
	&& groupadd --system --gid 10001 voicebridge \
	&& useradd --system --uid 10001 --gid voicebridge --home-dir /app --shell /usr/sbin/nologin voicebridge
USER 10001:10001

# Platforms set PORT; the application listens on it (server.port: ${PORT:8080}).
ENV PORT=8080
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["/app/healthcheck.sh"]
ENTRYPOINT ["/app/entrypoint.sh"]
