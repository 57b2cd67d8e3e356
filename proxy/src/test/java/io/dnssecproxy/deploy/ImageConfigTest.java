package io.dnssecproxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The image is described in three places that must agree: the Jib profile (proxy/pom.xml),
 * the Dockerfile, and the chart's command override; and its JVM flags must fit the chart's
 * memory limit.
 */
class ImageConfigTest {

  @TempDir Path scratch;

  private static Element jibContainer() throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(RepoFiles.root().resolve("proxy/pom.xml").toFile());
    NodeList plugins = pom.getElementsByTagName("plugin");
    for (int i = 0; i < plugins.getLength(); i++) {
      Element plugin = (Element) plugins.item(i);
      if (text(plugin, "artifactId").equals("jib-maven-plugin") && plugin.getElementsByTagName("container").getLength() > 0) {
        return (Element) plugin.getElementsByTagName("container").item(0);
      }
    }
    throw new AssertionError("no jib-maven-plugin with a <container> in proxy/pom.xml");
  }

  private static String text(Element e, String tag) {
    NodeList found = e.getElementsByTagName(tag);
    return found.getLength() == 0 ? "" : found.item(0).getTextContent().trim();
  }

  private static List<String> jibEntrypoint() throws Exception {
    NodeList args = ((Element) jibContainer().getElementsByTagName("entrypoint").item(0)).getElementsByTagName("arg");
    List<String> out = new ArrayList<>();
    for (int i = 0; i < args.getLength(); i++) {
      out.add(args.item(i).getTextContent().trim());
    }
    return out;
  }

  private static String dockerfileInstruction(String name) throws IOException {
    List<String> lines = Files.readAllLines(RepoFiles.root().resolve("Dockerfile"));
    List<String> found = lines.stream().filter(l -> l.startsWith(name + " ")).toList();
    return found.get(found.size() - 1).substring(name.length() + 1).trim(); // the runtime stage's
  }

  private static List<String> jvmArgs() throws IOException {
    return Files.readAllLines(RepoFiles.root().resolve("proxy/src/image/jvm.args")).stream()
        .map(l -> l.replaceAll("#.*", "").trim()).filter(l -> !l.isEmpty()).toList();
  }

  private static long bytes(String size) {
    Matcher m = Pattern.compile("(\\d+)([kmg])", Pattern.CASE_INSENSITIVE).matcher(size);
    assertTrue(m.matches(), size);
    return Long.parseLong(m.group(1)) << switch (Character.toLowerCase(m.group(2).charAt(0))) {
      case 'k' -> 10;
      case 'm' -> 20;
      default -> 30;
    };
  }

  private static String flag(List<String> args, String prefix) {
    return args.stream().filter(a -> a.startsWith(prefix)).map(a -> a.substring(prefix.length())).findFirst()
        .orElseThrow(() -> new AssertionError("jvm.args has no " + prefix));
  }

  @Test
  void jibDockerfileAndChartStartTheJvmTheSameWay() throws Exception {
    List<String> jib = jibEntrypoint();
    JsonNode docker = new ObjectMapper().readTree(dockerfileInstruction("ENTRYPOINT"));
    List<String> dockerArgs = new ArrayList<>();
    docker.forEach(a -> dockerArgs.add(a.asText()));
    String rendered = HelmRunner.template(RepoFiles.chart(), "x", "ns", "upstream: ['10.96.0.10']\njvmExtraFlags: ['-Xmx96m']\n", scratch);
    Container proxy = SidecarExpectations.sidecarOf(
        KubeObjects.only(KubeObjects.parse(rendered, "helm template"), Deployment.class).getSpec().getTemplate().getSpec());
    List<String> chart = new ArrayList<>(proxy.getCommand());
    chart.remove("-Xmx96m");

    assertEquals(jib, dockerArgs, "Dockerfile ENTRYPOINT");
    assertEquals(jib, chart, "the chart's command with jvmExtraFlags");
    assertTrue(jib.contains("@/app/jvm.args") && jib.contains("-XX:SharedArchiveFile=/app/dnssec-proxy.jsa"));
    assertEquals("dnssec-proxy.jar", jib.get(jib.size() - 1), "relative to /app, as the AppCDS archive recorded it");
  }

  @Test
  void jibAndDockerfileRunAsTheSameUserFromTheSameDirectory() throws Exception {
    Element container = jibContainer();

    assertEquals("/app", text(container, "workingDirectory"));
    assertEquals("/app", dockerfileInstruction("WORKDIR"));
    assertEquals("65532:65532", text(container, "user"));
    assertEquals("65532:65532", dockerfileInstruction("USER"));
    assertEquals("EPOCH_PLUS_SECOND", text(container, "filesModificationTime"), "train-cds.sh stamps the jar with this mtime");
  }

  @Test
  void theChartsImageIsTheProjectsVersion() throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(RepoFiles.root().resolve("pom.xml").toFile());
    String projectVersion = pom.getDocumentElement().getElementsByTagName("version").item(0).getTextContent().trim().replace("-SNAPSHOT", "");
    YAMLMapper yaml = new YAMLMapper();
    JsonNode chart = yaml.readTree(RepoFiles.chart().resolve("Chart.yaml").toFile());
    JsonNode values = yaml.readTree(RepoFiles.chart().resolve("values.yaml").toFile());
    String plainImage = Files.readString(RepoFiles.manifests().resolve("example-deployment.yaml"))
        .lines().filter(l -> l.contains("image: \"dnssec-proxy:")).findFirst().orElseThrow().replaceAll(".*dnssec-proxy:([^\"]+)\".*", "$1");

    assertEquals(projectVersion, chart.path("appVersion").asText());
    assertEquals(projectVersion, values.path("image").path("tag").asText());
    assertEquals(projectVersion, plainImage);
  }

  @Test
  void theJvmsMemoryCapsFitTheChartsMemoryLimit() throws Exception {
    List<String> args = jvmArgs();
    long caps = bytes(flag(args, "-Xmx")) + bytes(flag(args, "-XX:ReservedCodeCacheSize=")) + bytes(flag(args, "-XX:MaxMetaspaceSize="));
    JsonNode values = new YAMLMapper().readTree(RepoFiles.chart().resolve("values.yaml").toFile());
    long limit = Quantity.getAmountInBytes(new Quantity(values.path("resources").path("limits").path("memory").asText())).longValue();

    assertTrue(args.contains("-XX:+UseSerialGC"), "one GC thread, smallest footprint");
    assertTrue(limit > caps, "heap + code cache + metaspace caps (" + (caps >> 20) + " MiB) must fit under the limit (" + (limit >> 20) + " MiB)");
    assertTrue(args.stream().noneMatch(a -> a.startsWith("-XX:SharedArchiveFile") || a.startsWith("-XX:ArchiveClassesAtExit")),
        "the archive flags belong to the entrypoint and the training run, not to the shared flags");
  }
}
