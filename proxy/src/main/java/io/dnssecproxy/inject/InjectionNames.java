package io.dnssecproxy.inject;

/**
 * The labels and annotations users set to drive the injector, in one place: the README, the
 * chart's MutatingWebhookConfiguration and the code must spell them alike.
 */
public final class InjectionNames {

  /** Namespace label: {@code enabled} makes the webhook add the sidecar to new pods there. */
  public static final String INJECT_LABEL = "dnssec-proxy.io/inject";
  public static final String INJECT_ENABLED = "enabled";

  /** Namespace label: {@code enforce} or {@code permissive}, kept in the policy ConfigMap's {@code mode} key. */
  public static final String MODE_LABEL = "dnssec-proxy.io/mode";

  /** Pod annotation: {@code enforce} or {@code permissive} for this pod alone, fixed at creation. */
  public static final String MODE_ANNOTATION = "dnssec-proxy.io/mode";

  /** Pod annotation: {@code "false"} keeps the sidecar out of this pod. */
  public static final String INJECT_ANNOTATION = "dnssec-proxy.io/inject";

  /** Pod annotation the injector sets: where the mode comes from ({@code namespace} or {@code pod}). */
  public static final String INJECTED_ANNOTATION = "dnssec-proxy.io/injected";

  /** Label on the ConfigMaps the injector creates. */
  public static final String MANAGED_BY = "dnssec-proxy-injector";

  private InjectionNames() {}
}
