# The same image as `mvn -Pimage -DskipTests package` (Jib), for those who build with Docker:
#   docker build -t dnssec-proxy:0.1.0 .
# Stage 1 builds the shaded jar and lays out the root filesystem with the same script the Maven
# profile uses (jlinked JRE, AppCDS training run, shared libraries of the build image);
# stage 2 is that filesystem alone on `scratch`.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY proxy/pom.xml proxy/
COPY proxy/src/main proxy/src/main
COPY proxy/src/image proxy/src/image
RUN mvn -B -ntp -Dmaven.test.skip=true package \
 && bash proxy/src/image/build-runtime.sh proxy/target/dnssec-proxy.jar /rootfs

FROM scratch
# COPY keeps the files' mtimes, which the AppCDS archive checks (the jar's is 1970-01-01T00:00:01Z).
COPY --from=build /rootfs/ /
USER 65532:65532
# The jar is named relative to /app, as the AppCDS archive recorded it.
WORKDIR /app
EXPOSE 53/udp 53/tcp 9153/tcp
ENTRYPOINT ["/opt/java/bin/java", "-XX:SharedArchiveFile=/app/dnssec-proxy.jsa", "@/app/jvm.args", "-jar", "dnssec-proxy.jar"]
