{{/*
The sidecar injector (injector.enabled). The webhook adds to pods exactly what the named
templates of _sidecar.tpl render: they are rendered here once more, as JSON, into a ConfigMap
the injector reads (--sidecar-template). The namespace is the pod's, not the release's, so the
DNS search list carries a placeholder the injector fills in.
*/}}

{{- define "dnssec-proxy.injectorName" -}}
{{- printf "%s-injector" (include "dnssec-proxy.fullname" .) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "dnssec-proxy.injectorSelector" -}}
app.kubernetes.io/name: {{ .Chart.Name }}-injector
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "dnssec-proxy.injectorTlsSecret" -}}
{{- .Values.injector.tls.secretName | default (printf "%s-tls" (include "dnssec-proxy.injectorName" .)) -}}
{{- end -}}

{{- define "dnssec-proxy.injectorSidecarTemplate" -}}
{{- $placeholder := "__POD_NAMESPACE__" -}}
{{- $ctx := dict "Values" .Values "Release" (dict "Namespace" $placeholder) -}}
{{- $t := dict
    "namespacePlaceholder" $placeholder
    "policyConfigMap" .Values.policy.name
    "initContainer" (include "dnssec-proxy.sidecar" $ctx | fromYamlArray | first)
    "volumes" (include "dnssec-proxy.volumes" $ctx | fromYamlArray)
    "dns" (include "dnssec-proxy.dns" $ctx | fromYaml)
    "sysctls" (include "dnssec-proxy.sysctls" $ctx | fromYamlArray)
    "annotations" (include "dnssec-proxy.podAnnotations" $ctx | fromYaml) -}}
{{- toPrettyJson $t -}}
{{- end -}}
