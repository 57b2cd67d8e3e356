package io.dnssecproxy.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The manifest checker itself: it must refuse what the API server would refuse. */
class KubeObjectsTest {

  /** A valid Deployment; each case below breaks one thing in it. */
  private static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
        selector:
          matchLabels: {app: web}
        template:
          metadata:
            labels: {app: web}
          spec:
            securityContext:
              runAsUser: 65532
            dnsConfig:
              options:
                - name: ndots
                  value: "5"
            initContainers:
              - name: proxy
                image: dnssec-proxy:1
                restartPolicy: Always
                ports:
                  - {name: admin, containerPort: 9153}
                readinessProbe:
                  httpGet: {path: /readyz, port: admin}
                volumeMounts:
                  - {name: policy, mountPath: /etc/p}
            containers:
              - name: app
                image: busybox:1
            volumes:
              - name: policy
                configMap: {name: p, defaultMode: 0444}
      """;

  @Test
  void aValidDeploymentPasses() {
    Deployment d = KubeObjects.only(KubeObjects.parse(DEPLOYMENT, "test"), Deployment.class);

    assertEquals("Always", d.getSpec().getTemplate().getSpec().getInitContainers().get(0).getRestartPolicy());
    assertEquals(0444, d.getSpec().getTemplate().getSpec().getVolumes().get(0).getConfigMap().getDefaultMode(),
        "YAML 1.1 octal, as the API server reads it");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      unknown field                 | restartPolicy: Always          | restartPolicy: Always\\n                restartPolicyy: Always | restartPolicyy
      integer given as a string     | runAsUser: 65532               | runAsUser: "65532"                 | runAsUser
      string given as an integer    | value: "5"                     | value: 5                           | value
      selector not matching labels  | matchLabels: {app: web}        | matchLabels: {app: other}          | selector
      probe on an undeclared port   | port: admin}                   | port: admin2}                      | admin2
      mount of an undeclared volume | mountPath: /etc/p              | mountPath: /etc/p, name: policy2   | policy2
      port name over 15 characters  | name: admin,                   | name: admin-port-too-long,         | admin-port-too-long
      probes on a plain init container | restartPolicy: Always       | restartPolicy: Never               | not a sidecar
      """)
  void refuses(String what, String from, String to, String mentioned) {
    String broken = DEPLOYMENT.replace(from, to.replace("\\n", "\n"));
    assertTrue(!broken.equals(DEPLOYMENT), "the case must change the manifest");

    AssertionError e = assertThrows(AssertionError.class, () -> KubeObjects.parse(broken, "test"), what);
    assertTrue(e.getMessage().contains(mentioned), e.getMessage());
  }

  @Test
  void refusesKindsOutsideTheKnownSet() {
    AssertionError e = assertThrows(AssertionError.class,
        () -> KubeObjects.parse("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n", "test"));
    assertTrue(e.getMessage().contains("v1/Pod"), e.getMessage());
  }
}
