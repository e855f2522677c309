{{/*
Names, labels, images and the apps' environment. Helpers taking an app get
(dict "root" $ "app" $app), where $app is an entry of "member-system.apps".
*/}}

{{- define "member-system.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "member-system.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "member-system.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The five apps: name (image, component label, resource suffix) and values key. */}}
{{- define "member-system.apps" -}}
- name: gateway
  key: gateway
- name: member-service
  key: memberService
- name: point-service
  key: pointService
- name: benefit-service
  key: benefitService
- name: event-service
  key: eventService
{{- end }}

{{/* The enabled apps, as a YAML list (use with fromYamlArray). */}}
{{- define "member-system.enabledApps" -}}
{{- $apps := list }}
{{- range $app := include "member-system.apps" . | fromYamlArray }}
{{- if (index $.Values $app.key).enabled }}
{{- $apps = append $apps $app }}
{{- end }}
{{- end }}
{{- toYaml $apps }}
{{- end }}

{{- define "member-system.labels" -}}
helm.sh/chart: {{ include "member-system.chart" . }}
{{ include "member-system.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: member-system
{{- end }}

{{- define "member-system.selectorLabels" -}}
app.kubernetes.io/name: {{ include "member-system.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* Resource name of an app: <fullname>-<app>. */}}
{{- define "member-system.appFullname" -}}
{{- printf "%s-%s" (include "member-system.fullname" .root) .app.name | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "member-system.appSelectorLabels" -}}
{{ include "member-system.selectorLabels" .root }}
app.kubernetes.io/component: {{ .app.name }}
{{- end }}

{{- define "member-system.appLabels" -}}
{{ include "member-system.labels" .root }}
app.kubernetes.io/component: {{ .app.name }}
{{- end }}

{{- define "member-system.serviceAccountName" -}}
{{- $sa := (index .root.Values .app.key).serviceAccount }}
{{- if $sa.create }}
{{- default (include "member-system.appFullname" .) $sa.name }}
{{- else }}
{{- default "default" $sa.name }}
{{- end }}
{{- end }}

{{/*
registry/repository@digest when the image sets a digest, else registry/repository:tag;
dict "root" $ "image" <image values>. Tag: own, global, appVersion.
*/}}
{{- define "member-system.image" -}}
{{- $root := .root }}
{{- $repository := .image.repository }}
{{- with $root.Values.image.registry }}
{{- $repository = printf "%s/%s" (trimSuffix "/" .) $repository }}
{{- end }}
{{- if .image.digest }}
{{- printf "%s@%s" $repository .image.digest }}
{{- else }}
{{- $tag := .image.tag | default $root.Values.image.tag | default $root.Chart.AppVersion }}
{{- printf "%s:%s" $repository (include "member-system.envValue" $tag) }}
{{- end }}
{{- end }}

{{/*
An escape hatch list (extraEnv, extraVolumes, sidecars, ...) as YAML: the global entries (top
level), then those of the block `values` (an app's, or backup's); empty when neither has any.
dict "root" $ "values" <block> "key" <name>; "global" false leaves the top level out.
*/}}
{{- define "member-system.hatchList" -}}
{{- $global := ternary (index .root.Values .key | default list) list (ne .global false) }}
{{- $items := concat $global (index .values .key | default list) }}
{{- if $items }}
{{- toYaml $items }}
{{- end }}
{{- end }}

{{/*
Labels of a pod: the chart's labels (dict "root" $ "app" …, or `labels` given as YAML), the
global podLabels over them, the block's (`values`) over those; the selector labels always win,
so a podLabel never detaches a pod from its Deployment or Service.
*/}}
{{- define "member-system.podLabels" -}}
{{- $chart := dict }}
{{- if .labels }}
{{- $chart = .labels | fromYaml }}
{{- else }}
{{- $chart = include "member-system.appLabels" . | fromYaml }}
{{- end }}
{{- $selector := pick $chart "app.kubernetes.io/name" "app.kubernetes.io/instance" "app.kubernetes.io/component" }}
{{- toYaml (merge $selector (deepCopy (.values.podLabels | default dict)) (deepCopy (.root.Values.podLabels | default dict)) $chart) }}
{{- end }}

{{/* podAnnotations: the global ones, then the block's (`values`) over them; may be empty. */}}
{{- define "member-system.podAnnotations" -}}
{{- $annotations := merge (deepCopy (.values.podAnnotations | default dict)) (deepCopy (.root.Values.podAnnotations | default dict)) }}
{{- if $annotations }}
{{- toYaml $annotations }}
{{- end }}
{{- end }}

{{/* A setting as an environment string: whole numbers without an exponent. */}}
{{- define "member-system.envValue" -}}
{{- if and (kindIs "float64" .) (eq . (floor .)) }}
{{- int64 . }}
{{- else }}
{{- toString . }}
{{- end }}
{{- end }}

{{/*
An app's non-secret settings as `NAME: "value"` lines, sorted: the shared `config`, then the
infrastructure values (mysql, redis), then the app's own `config`, each overriding the one before.
The schema limits every map to the app's config class properties, and the secret-held ones
(member-system.secretEnv) are never among them.
*/}}
{{- define "member-system.configData" -}}
{{- $values := .root.Values }}
{{- $settings := dict }}
{{- range $name, $value := $values.config }}
{{- $_ := set $settings $name $value }}
{{- end }}
{{- $_ := set $settings "MYSQL_HOST" $values.mysql.host }}
{{- $_ = set $settings "MYSQL_PORT" $values.mysql.port }}
{{- $_ = set $settings "MYSQL_REPLICA_HOST" $values.mysql.replica.host }}
{{- $_ = set $settings "MYSQL_REPLICA_PORT" $values.mysql.replica.port }}
{{- $_ = set $settings "MYSQL_REPLICA_USER" $values.mysql.replica.user }}
{{- $_ = set $settings "MYSQL_REPLICA_MAX_LAG_MS" $values.mysql.replica.maxLagMs }}
{{- $_ = set $settings "REDIS_HOST" $values.redis.host }}
{{- $_ = set $settings "REDIS_PORT" $values.redis.port }}
{{- $_ = set $settings "REDIS_DB" $values.redis.db }}
{{- range $name, $value := (index $values .app.key).config }}
{{- $_ := set $settings $name $value }}
{{- end }}
{{- range $name := keys $settings | sortAlpha }}
{{ $name }}: {{ include "member-system.envValue" (index $settings $name) | quote }}
{{- end }}
{{- end }}

{{/* env entry reading one key of a Secret. */}}
{{- define "member-system.secretRef" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret | quote }}
      key: {{ .key | quote }}
      {{- if .optional }}
      optional: true
      {{- end }}
{{- end }}

{{/* The secret-held settings of an app, as env entries. */}}
{{- define "member-system.secretEnv" -}}
{{- $values := .root.Values }}
{{- include "member-system.secretRef" (dict "name" "MYSQL_USER" "secret" $values.mysql.existingSecret "key" $values.mysql.secretKeys.user) }}
{{ include "member-system.secretRef" (dict "name" "MYSQL_PASSWORD" "secret" $values.mysql.existingSecret "key" $values.mysql.secretKeys.password) }}
{{- $replica := $values.mysql.replica }}
{{- if $replica.existingSecret }}
{{ include "member-system.secretRef" (dict "name" "MYSQL_REPLICA_PASSWORD" "secret" $replica.existingSecret "key" $replica.secretKeys.password) }}
{{- else }}
{{ include "member-system.secretRef" (dict "name" "MYSQL_REPLICA_PASSWORD" "secret" $values.mysql.existingSecret "key" $values.mysql.secretKeys.password) }}
{{- end }}
{{ include "member-system.secretRef" (dict "name" "REDIS_PASSWORD" "secret" $values.redis.existingSecret "key" $values.redis.secretKeys.password) }}
{{ include "member-system.secretRef" (dict "name" "RABBITMQ_URL" "secret" $values.rabbitmq.existingSecret "key" $values.rabbitmq.secretKeys.url) }}
{{- if eq .app.name "gateway" }}
{{- $jwt := $values.gateway.jwt }}
{{ include "member-system.secretRef" (dict "name" "JWT_SECRET" "secret" $jwt.existingSecret "key" $jwt.secretKeys.secret "optional" true) }}
{{ include "member-system.secretRef" (dict "name" "JWT_PUBLIC_KEY" "secret" $jwt.existingSecret "key" $jwt.secretKeys.publicKey "optional" true) }}
{{- end }}
{{- if eq .app.name "member-service" }}
{{- $pii := $values.memberService.pii }}
{{ include "member-system.secretRef" (dict "name" "PII_KEYS" "secret" $pii.existingSecret "key" $pii.secretKeys.keys) }}
{{ include "member-system.secretRef" (dict "name" "PII_BLIND_INDEX_KEY" "secret" $pii.existingSecret "key" $pii.secretKeys.blindIndexKey) }}
{{- end }}
{{- end }}

{{/* Changes whenever a Secret the chart creates changes (rolls the pods). */}}
{{- define "member-system.secretsChecksum" -}}
{{- toJson .Values.secrets | sha256sum }}
{{- end }}

{{/* topologySpreadConstraints, each without a labelSelector given the app's pod labels. */}}
{{- define "member-system.topologySpread" -}}
{{- $selector := dict "matchLabels" (include "member-system.appSelectorLabels" . | fromYaml) }}
{{- $constraints := list }}
{{- range (index .root.Values .app.key).topologySpreadConstraints }}
{{- $constraint := deepCopy . }}
{{- if not (hasKey $constraint "labelSelector") }}
{{- $_ := set $constraint "labelSelector" $selector }}
{{- end }}
{{- $constraints = append $constraints $constraint }}
{{- end }}
{{- toYaml $constraints }}
{{- end }}

{{/* The /tmp emptyDir (read-only root filesystem). */}}
{{- define "member-system.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
{{- end }}

{{/* Chart-wide checks that the schema cannot express. */}}
{{- define "member-system.validate" -}}
{{- range $app := include "member-system.apps" . | fromYamlArray }}
{{- $v := index $.Values $app.key }}
{{- if and $v.autoscaling.enabled (not $v.autoscaling.targetCPUUtilizationPercentage) (not $v.autoscaling.targetMemoryUtilizationPercentage) }}
{{- fail (printf "%s.autoscaling: set targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage" $app.key) }}
{{- end }}
{{- end }}
{{- if .Values.gateway.ingress.enabled }}
{{- range .Values.gateway.ingress.hosts }}
{{- range .paths }}
{{- $path := trimSuffix "/" .path }}
{{- if or (eq $path "") (hasPrefix "/metrics" $path) (hasPrefix "/health" $path) }}
{{- fail (printf "gateway.ingress: path %q would expose /metrics or /health; route /api (and /docs) only" .path) }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}
{{- end }}

{{/* for, labels and annotations of an alert; dict "root" $ "name" "summary" "description". */}}
{{- define "member-system.alertMeta" -}}
{{- $pr := .root.Values.metrics.prometheusRule }}
{{- $alert := index $pr.alerts .name }}
{{- $base := trimSuffix "/" $pr.runbookBaseUrl }}
for: {{ $alert.for }}
labels:
  severity: {{ $alert.severity }}
  namespace: {{ .root.Release.Namespace }}
  {{- with $pr.additionalAlertLabels }}
  {{- toYaml . | nindent 2 }}
  {{- end }}
annotations:
  summary: {{ .summary | quote }}
  description: {{ .description | quote }}
  runbook_url: {{ printf "%sdocs/operations.md#%s" (ternary (printf "%s/" $base) "" (ne $base "")) (lower .name) | quote }}
{{- end }}

{{/* Labels of the backup CronJobs' pods. */}}
{{- define "member-system.backupLabels" -}}
{{ include "member-system.labels" . }}
app.kubernetes.io/component: backup
{{- end }}

{{/* Selector labels of the helm test Pod (templates/tests), which every app's NetworkPolicy admits. */}}
{{- define "member-system.testSelectorLabels" -}}
{{ include "member-system.selectorLabels" . }}
app.kubernetes.io/component: test
{{- end }}

{{/* The helm test Pod as a NetworkPolicy peer (nothing when tests are off). */}}
{{- define "member-system.testPeer" -}}
{{- if .Values.tests.enabled }}
- podSelector:
    matchLabels:
      {{- include "member-system.testSelectorLabels" . | nindent 6 }}
{{- end }}
{{- end }}
