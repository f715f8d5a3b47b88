{{/* Name prefix of every object: fullnameOverride, else the release name if it already says network-mapper. */}}
{{- define "netmapper.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride -}}
{{- else if contains "network-mapper" .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-network-mapper" .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "netmapper.controllerName" -}}{{ include "netmapper.fullname" . }}-controller{{- end -}}
{{- define "netmapper.snifferName" -}}{{ include "netmapper.fullname" . }}-sniffer{{- end -}}

{{/* The name label is fixed: the CLI finds the controller's Service by it. */}}
{{- define "netmapper.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: network-mapper
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: network-mapper
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Selector labels of one component; pass (dict "root" $ "component" "controller"). */}}
{{- define "netmapper.selectorLabels" -}}
app.kubernetes.io/name: network-mapper
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* metadata.labels + annotations of one component's objects. */}}
{{- define "netmapper.metadata" -}}
labels:
  {{- include "netmapper.labels" .root | nindent 2 }}
  app.kubernetes.io/component: {{ .component }}
{{- with .root.Values.commonAnnotations }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{- define "netmapper.image" -}}
{{- if .Values.image.digest -}}
{{ .Values.image.repository }}@{{ .Values.image.digest }}
{{- else -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- define "netmapper.controllerUrl" -}}
http://{{ include "netmapper.controllerName" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}:{{ .Values.controller.port }}
{{- end -}}

{{/* Where the controller keeps its store snapshot (the store volume's mount). */}}
{{- define "netmapper.storeDir" -}}/var/lib/netmapper{{- end -}}
{{- define "netmapper.tokenDir" -}}/var/run/secrets/netmapper{{- end -}}

{{/* Watchers that do not exist yet: refuse clearly instead of rendering something that does nothing. */}}
{{- define "netmapper.refuseUnimplemented" -}}
{{- if .Values.kafkaWatcher.enabled -}}
{{- fail "kafkaWatcher.enabled=true: the Kafka watcher is not implemented in this version of network-mapper; set kafkaWatcher.enabled=false" -}}
{{- end -}}
{{- if .Values.istioWatcher.enabled -}}
{{- fail "istioWatcher.enabled=true: the Istio watcher is not implemented in this version of network-mapper; set istioWatcher.enabled=false" -}}
{{- end -}}
{{- end -}}
