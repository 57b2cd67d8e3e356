{{/*
Named templates that add the proxy to any pod spec. Context: the root context (`.`) of this
chart or of a chart that has dnssec-proxy as a dependency; in the latter the proxy's values are
read from `.Values.dnssec-proxy` (for an aliased dependency pass
`(dict "Values" .Values.ALIAS "Release" .Release)` instead). In a pod template:

  spec:
    {{- include "dnssec-proxy.dns" . | nindent 4 }}
    securityContext:
      sysctls:
        {{- include "dnssec-proxy.sysctls" . | nindent 8 }}
    initContainers:
      {{- include "dnssec-proxy.sidecar" . | nindent 6 }}
    containers: [...]
    volumes:
      {{- include "dnssec-proxy.volumes" . | nindent 6 }}

and, for Prometheus, in the pod template's metadata.annotations:
      {{- include "dnssec-proxy.podAnnotations" . | nindent 8 }}
*/}}

{{/* The proxy's values, wherever the context keeps them. */}}
{{- define "dnssec-proxy.values" -}}
{{- if hasKey .Values "dnssec-proxy" -}}
{{- toYaml (index .Values "dnssec-proxy") -}}
{{- else -}}
{{- toYaml .Values -}}
{{- end -}}
{{- end -}}

{{/* The proxy as a native sidecar: one entry of the pod's initContainers. */}}
{{- define "dnssec-proxy.sidecar" -}}
{{- $v := include "dnssec-proxy.values" . | fromYaml -}}
{{- if not $v.upstream -}}
{{- fail "dnssec-proxy: set upstream to the cluster DNS Service IP, e.g. --set 'upstream={10.96.0.10}'" -}}
{{- end -}}
{{- $listen := printf "%s:%v" $v.listenAddress (int $v.listenPort) -}}
{{- if and (not (hasPrefix "127." $v.listenAddress)) (not $v.allowNonLoopback) -}}
{{- fail (printf "dnssec-proxy: listenAddress %s is not a loopback address: the proxy would answer anyone who reaches the pod (an open resolver). Set allowNonLoopback: true if that is meant" $v.listenAddress) -}}
{{- end -}}
{{- range $v.upstream -}}
{{- if or (eq . $listen) (and (eq (int $v.listenPort) 53) (eq . $v.listenAddress)) -}}
{{- fail (printf "dnssec-proxy: upstream %s is the proxy's own listen address: it would forward to itself" .) -}}
{{- end -}}
{{- end -}}
- name: dnssec-proxy
  image: {{ printf "%s:%s" $v.image.repository $v.image.tag | quote }}
  imagePullPolicy: {{ $v.image.pullPolicy }}
  # Native sidecar: starts before the app containers, runs alongside them, stops after them.
  restartPolicy: Always
  {{- with $v.jvmExtraFlags }}
  command:
    - /opt/java/bin/java
    - -XX:SharedArchiveFile=/app/dnssec-proxy.jsa
    - "@/app/jvm.args"
    {{- range . }}
    - {{ . | quote }}
    {{- end }}
    - -jar
    - dnssec-proxy.jar
  {{- end }}
  args:
    - {{ printf "--listen=%s" $listen | quote }}
    {{- if $v.allowNonLoopback }}
    - "--allow-non-loopback=true"
    {{- end }}
    {{- range $v.upstream }}
    - {{ printf "--upstream=%s" . | quote }}
    {{- end }}
    - {{ printf "--cluster-domain=%s" $v.clusterDomain | quote }}
    - {{ printf "--admin-listen=0.0.0.0:%v" (int $v.admin.port) | quote }}
    # mode and insecure-domains come from here, live.
    - {{ printf "--policy-dir=%s" $v.policy.mountPath | quote }}
    - {{ printf "--cache-max-entries=%v" (int $v.cacheMaxEntries) | quote }}
    {{- range $v.extraArgs }}
    - {{ . | quote }}
    {{- end }}
  env:
    # Named in the proxy's log lines.
    - name: POD_NAMESPACE
      valueFrom:
        fieldRef:
          fieldPath: metadata.namespace
    {{- with $v.extraEnv }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  ports:
    - name: dnsproxy-admin
      containerPort: {{ int $v.admin.port }}
      protocol: TCP
  {{- with $v.probes.startup }}
  {{- if .enabled }}
  startupProbe:
    httpGet:
      path: /readyz
      port: dnsproxy-admin
    periodSeconds: {{ int .periodSeconds }}
    timeoutSeconds: {{ int .timeoutSeconds }}
    failureThreshold: {{ int .failureThreshold }}
  {{- end }}
  {{- end }}
  {{- with $v.probes.readiness }}
  {{- if .enabled }}
  readinessProbe:
    httpGet:
      path: /readyz
      port: dnsproxy-admin
    periodSeconds: {{ int .periodSeconds }}
    timeoutSeconds: {{ int .timeoutSeconds }}
    failureThreshold: {{ int .failureThreshold }}
  {{- end }}
  {{- end }}
  {{- with $v.probes.liveness }}
  {{- if .enabled }}
  livenessProbe:
    httpGet:
      path: /healthz
      port: dnsproxy-admin
    periodSeconds: {{ int .periodSeconds }}
    timeoutSeconds: {{ int .timeoutSeconds }}
    failureThreshold: {{ int .failureThreshold }}
  {{- end }}
  {{- end }}
  {{- with $v.resources }}
  resources:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  {{- with $v.securityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  volumeMounts:
    # The whole ConfigMap as a directory: the kubelet swaps its files atomically on change,
    # which a subPath mount would never see.
    - name: dnssec-proxy-policy
      mountPath: {{ $v.policy.mountPath }}
      readOnly: true
    - name: dnssec-proxy-tmp
      mountPath: /tmp
{{- end -}}

{{/* The volumes the sidecar mounts: entries of the pod's volumes. */}}
{{- define "dnssec-proxy.volumes" -}}
{{- $v := include "dnssec-proxy.values" . | fromYaml -}}
- name: dnssec-proxy-policy
  configMap:
    name: {{ $v.policy.name }}
    defaultMode: 0444
- name: dnssec-proxy-tmp
  emptyDir:
    sizeLimit: 16Mi
{{- end -}}

{{/* dnsPolicy and dnsConfig: the pod resolves through the proxy on loopback. */}}
{{- define "dnssec-proxy.dns" -}}
{{- $v := include "dnssec-proxy.values" . | fromYaml -}}
{{- if $v.dns.enabled -}}
{{- $cd := trimSuffix "." $v.clusterDomain -}}
dnsPolicy: None
dnsConfig:
  nameservers:
    - {{ $v.listenAddress | quote }}
  searches:
    {{- if $v.dns.searches }}
    {{- range $v.dns.searches }}
    - {{ . | quote }}
    {{- end }}
    {{- else }}
    - {{ printf "%s.svc.%s" .Release.Namespace $cd | quote }}
    - {{ printf "svc.%s" $cd | quote }}
    - {{ $cd | quote }}
    {{- end }}
  options:
    - name: ndots
      value: {{ $v.dns.ndots | int | toString | quote }}
    {{- range $v.dns.options }}
    - name: {{ .name | quote }}
      {{- if hasKey . "value" }}
      value: {{ .value | toString | quote }}
      {{- end }}
    {{- end }}
{{- end -}}
{{- end -}}

{{/* Entries of the pod securityContext's sysctls (possibly none). */}}
{{- define "dnssec-proxy.sysctls" -}}
{{- $v := include "dnssec-proxy.values" . | fromYaml -}}
{{- if $v.unprivilegedPortSysctl -}}
# Lets the non-root proxy bind port 53; namespaced to the pod's network.
- name: net.ipv4.ip_unprivileged_port_start
  value: {{ int $v.listenPort | toString | quote }}
{{- end -}}
{{- end -}}

{{/* Prometheus scrape annotations for the pod template (possibly none). */}}
{{- define "dnssec-proxy.podAnnotations" -}}
{{- $v := include "dnssec-proxy.values" . | fromYaml -}}
{{- if $v.metrics.podAnnotations -}}
prometheus.io/scrape: "true"
prometheus.io/port: {{ int $v.admin.port | toString | quote }}
prometheus.io/path: /metrics
{{- end -}}
{{- end -}}
