{{/* The chart's name, or nameOverride. */}}
{{- define "netmapper.name" -}}
{{- .Values.nameOverride | default .Chart.Name | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* Name prefix of every object: fullnameOverride, else the release name if it already holds the name, else <release>-<name>. */}}
{{- define "netmapper.fullname" -}}
{{- $name := include "netmapper.name" . -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride -}}
{{- else if contains $name .Release.Name -}}
{{- .Release.Name | trunc 40 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 40 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "netmapper.controllerName" -}}{{ include "netmapper.fullname" . }}-controller{{- end -}}
{{- define "netmapper.snifferName" -}}{{ include "netmapper.fullname" . }}-sniffer{{- end -}}
{{- define "netmapper.kafkaWatcherName" -}}{{ include "netmapper.fullname" . }}-kafka-watcher{{- end -}}
{{- define "netmapper.istioWatcherName" -}}{{ include "netmapper.fullname" . }}-istio-watcher{{- end -}}

{{/* The ServiceAccount a component runs as; pass (dict "root" $ "component" "sniffer" "values" $.Values.sniffer "default" name). */}}
{{- define "netmapper.serviceAccountName" -}}
{{- $sa := .values.serviceAccount -}}
{{- if $sa.create -}}
{{- $sa.name | default .default -}}
{{- else -}}
{{- $sa.name | default "default" -}}
{{- end -}}
{{- end -}}
{{- define "netmapper.controllerSA" -}}{{ include "netmapper.serviceAccountName" (dict "values" .Values.controller "default" (include "netmapper.controllerName" .)) }}{{- end -}}
{{- define "netmapper.snifferSA" -}}{{ include "netmapper.serviceAccountName" (dict "values" .Values.sniffer "default" (include "netmapper.snifferName" .)) }}{{- end -}}
{{- define "netmapper.kafkaWatcherSA" -}}{{ include "netmapper.serviceAccountName" (dict "values" .Values.kafkaWatcher "default" (include "netmapper.kafkaWatcherName" .)) }}{{- end -}}
{{- define "netmapper.istioWatcherSA" -}}{{ include "netmapper.serviceAccountName" (dict "values" .Values.istioWatcher "default" (include "netmapper.istioWatcherName" .)) }}{{- end -}}

{{/* The reporters the controller trusts: role=namespace/serviceaccount of each enabled reporter (NETMAPPER_REPORTER_IDENTITIES). */}}
{{- define "netmapper.reporterIdentities" -}}
{{- $ns := .Release.Namespace -}}
{{- $ids := list -}}
{{- if .Values.sniffer.enabled }}{{ $ids = append $ids (printf "sniffer=%s/%s" $ns (include "netmapper.snifferSA" .)) }}{{ end -}}
{{- if and .Values.kafkaWatcher.enabled (eq .Values.kafkaWatcher.mode "kubernetes") }}{{ $ids = append $ids (printf "kafka-watcher=%s/%s" $ns (include "netmapper.kafkaWatcherSA" .)) }}{{ end -}}
{{- if .Values.kafkaWatcher.enabled }}{{ range .Values.kafkaWatcher.sidecarServiceAccounts }}{{ $ids = append $ids (printf "kafka-watcher=%s" .) }}{{ end }}{{ end -}}
{{- if .Values.istioWatcher.enabled }}{{ $ids = append $ids (printf "istio-watcher=%s/%s" $ns (include "netmapper.istioWatcherSA" .)) }}{{ end -}}
{{- join "," $ids -}}
{{- end -}}

{{/* Pod labels and annotations of a component: the chart-wide ones, then the component's own. Pass (dict "root" $ "component" "sniffer" "values" $.Values.sniffer). */}}
{{- define "netmapper.podMetadata" -}}
labels:
  {{- include "netmapper.selectorLabels" (dict "root" .root "component" .component) | nindent 2 }}
  {{- with (merge (dict) (.values.podLabels | default dict) (.root.Values.podLabels | default dict)) }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
{{- with (merge (dict) (.values.podAnnotations | default dict) (.root.Values.podAnnotations | default dict) (.extraAnnotations | default dict)) }}
annotations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The scheduling, pull-secret and extra-volume block shared by every pod. Pass (dict "root" $ "values" $.Values.x "component" "x"). */}}
{{- define "netmapper.podScheduling" -}}
{{- with .root.Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .values.topologySpreadConstraints }}
topologySpreadConstraints:
  {{- range . }}
  - {{ toYaml (merge (dict) . (dict "labelSelector" (dict "matchLabels" (fromYaml (include "netmapper.selectorLabels" (dict "root" $.root "component" $.component)))))) | nindent 4 | trim }}
  {{- end }}
{{- end }}
{{- end -}}

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

{{/* registry/repository, then @digest if set, else :tag (default: the chart's appVersion). */}}
{{- define "netmapper.image" -}}
{{- $i := .Values.image -}}
{{- $repo := ternary (printf "%s/%s" $i.registry $i.repository) $i.repository (ne ($i.registry | default "") "") -}}
{{- if $i.digest -}}
{{ $repo }}@{{ $i.digest }}
{{- else -}}
{{ $repo }}:{{ $i.tag | default .Chart.AppVersion }}
{{- end -}}
{{- end -}}

{{- define "netmapper.controllerUrl" -}}
http://{{ include "netmapper.controllerName" . }}.{{ .Release.Namespace }}.svc.{{ .Values.clusterDomain }}:{{ .Values.controller.port }}
{{- end -}}

{{/* Where the controller keeps its store snapshot (the store volume's mount). */}}
{{- define "netmapper.storeDir" -}}/var/lib/netmapper{{- end -}}
{{- define "netmapper.tokenDir" -}}/var/run/secrets/netmapper{{- end -}}

{{/* Refuses auth none unless the user says they mean it (the schema says the same; this covers --set on old Helm). */}}
{{- define "netmapper.refuseUnsafe" -}}
{{- if and (eq .Values.controller.auth "none") (not .Values.controller.allowUnauthenticatedReports) -}}
{{- fail "controller.auth=none lets any pod write the map (and, once exported, network policy); set controller.allowUnauthenticatedReports=true if you mean it" -}}
{{- end -}}
{{- end -}}

{{/* A watcher's pod template: (dict "root" $ "component" "kafka-watcher" "values" $.Values.kafkaWatcher "sa" name "args" list). */}}
{{- define "netmapper.watcherPod" -}}
{{- $v := .values -}}
metadata:
  {{- include "netmapper.podMetadata" (dict "root" .root "component" .component "values" $v) | nindent 2 }}
spec:
  serviceAccountName: {{ .sa }}
  # Reads pods through the API with its own (namespaced or pod-only) role.
  automountServiceAccountToken: true
  {{- include "netmapper.podScheduling" (dict "root" .root "values" $v "component" .component) | nindent 2 }}
  {{- with $v.podSecurityContext }}
  securityContext:
    {{- toYaml . | nindent 4 }}
  {{- end }}
  containers:
    - name: {{ .component }}
      image: {{ include "netmapper.image" .root | quote }}
      imagePullPolicy: {{ .root.Values.image.pullPolicy }}
      args:
        - dist/{{ .component }}.js
        - --controller-url={{ include "netmapper.controllerUrl" .root }}
        - --token-file={{ include "netmapper.tokenDir" .root }}/token
        - --health-port={{ $v.healthPort }}
        {{- range .args }}
        - {{ . }}
        {{- end }}
        - --log-level={{ $v.logLevel | default .root.Values.logLevel }}
        {{- with $v.extraArgs }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      {{- with $v.extraEnv }}
      env:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      ports:
        - name: health
          containerPort: {{ $v.healthPort }}
          protocol: TCP
      livenessProbe:
        httpGet:
          path: /healthz
          port: health
        initialDelaySeconds: 10
        periodSeconds: 20
        timeoutSeconds: 5
      readinessProbe:
        httpGet:
          path: /healthz
          port: health
        periodSeconds: 10
        timeoutSeconds: 5
      {{- with $v.securityContext }}
      securityContext:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $v.resources }}
      resources:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      volumeMounts:
        - name: report-token
          mountPath: {{ include "netmapper.tokenDir" .root }}
          readOnly: true
        - name: tmp
          mountPath: /tmp
        {{- with $v.extraVolumeMounts }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
  volumes:
    - name: report-token
      projected:
        sources:
          - serviceAccountToken:
              audience: {{ .root.Values.controller.tokenAudience }}
              expirationSeconds: 600
              path: token
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
    {{- with $v.extraVolumes }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end -}}

{{/* Namespaces the Kafka watcher reads broker pods in: from <pod>.<namespace> names and from the selectors. */}}
{{- define "netmapper.kafkaNamespaces" -}}
{{- $ns := list -}}
{{- range .Values.kafkaWatcher.brokers }}{{ $ns = append $ns (regexReplaceAll "^.*\\." . "") }}{{ end -}}
{{- range .Values.kafkaWatcher.brokerSelectors }}{{ $ns = append $ns .namespace }}{{ end -}}
{{- $ns | uniq | sortAlpha | join "," -}}
{{- end -}}

{{/* Otterize chart values (README "Migrating from Otterize") copied onto ours when set; idempotent, so every template
     calls it first. Only one-to-one values are aliases; the rest are accepted by the schema and listed as ignored. */}}
{{- define "netmapper.applyAliases" -}}
{{- $v := .Values -}}
{{- $pairs := list
  (list ($v.mapper | default dict) $v.controller (dict "excludeNamespaces" "excludeNamespaces" "tolerations" "tolerations" "nodeSelector" "nodeSelector" "affinity" "affinity" "priorityClassName" "priorityClassName" "resources" "resources" "podSecurityContext" "podSecurityContext" "containerSecurityContext" "securityContext" "extraEnvVars" "extraEnv"))
  (list $v.sniffer $v.sniffer (dict "enable" "enabled" "healthProbesPort" "healthPort" "containerSecurityContext" "securityContext"))
  (list ($v.kafkawatcher | default dict) $v.kafkaWatcher (dict "enable" "enabled" "kafkaServers" "brokers" "kafkaReportInterval" "reportInterval" "tolerations" "tolerations" "nodeSelector" "nodeSelector" "affinity" "affinity" "priorityClassName" "priorityClassName" "resources" "resources" "podSecurityContext" "podSecurityContext" "containerSecurityContext" "securityContext")) -}}
{{- range $pairs -}}
{{- $from := index . 0 -}}{{- $to := index . 1 -}}
{{- range $src, $dst := index . 2 -}}
{{- $val := index $from $src -}}
{{- if and (hasKey $from $src) (not (kindIs "invalid" $val)) (or (not (kindIs "map" $val)) (gt (len $val) 0)) -}}
{{- if kindIs "map" $val -}}{{- $_ := set $to $dst (mergeOverwrite (deepCopy (index $to $dst | default dict)) $val) -}}
{{- else -}}{{- $_ := set $to $dst $val -}}{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- /* Image pull secrets: Otterize takes one name per component. */ -}}
{{- range (list ($v.mapper | default dict) $v.sniffer ($v.kafkawatcher | default dict)) -}}
{{- with .pullSecrets -}}
{{- $secret := dict "name" . -}}
{{- if not (has $secret $v.imagePullSecrets) }}{{ $_ := set $v "imagePullSecrets" (append $v.imagePullSecrets $secret) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- $g := $v.global | default dict -}}
{{- range $key := list "podAnnotations" "podLabels" "commonLabels" "commonAnnotations" -}}
{{- with index $g $key -}}{{- $_ := set $v $key (merge (deepCopy (index $v $key | default dict)) .) -}}{{- end -}}
{{- end -}}
{{- with ($g.serviceNameOverrideAnnotationName | default $g.workloadNameOverrideAnnotationName) -}}
{{- $_ := set $v.controller "workloadNameAnnotation" . -}}
{{- end -}}
{{- $all := $v.allowGetAllResources -}}
{{- if not (kindIs "invalid" $g.allowGetAllResources) }}{{ $all = $g.allowGetAllResources }}{{ end -}}
{{- if not (kindIs "invalid" $all) }}{{ $_ := set $v.controller.rbac "readAllResources" $all }}{{ end -}}
{{- end -}}
