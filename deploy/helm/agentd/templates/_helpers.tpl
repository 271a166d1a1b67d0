{{/* The chart's name. */}}
{{- define "agentd.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name: the prefix of every object. */}}
{{- define "agentd.fullname" -}}
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

{{/* Labels on every object. */}}
{{- define "agentd.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "agentd.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/* Labels that select the release's pods (with app.kubernetes.io/component). */}}
{{- define "agentd.selectorLabels" -}}
app.kubernetes.io/name: {{ include "agentd.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/* The image. */}}
{{- define "agentd.image" -}}
{{ .Values.image.repository }}:{{ default .Chart.AppVersion .Values.image.tag }}
{{- end }}

{{/* The Secret that holds AGENTD_MASTER_KEY, and its key. */}}
{{- define "agentd.masterKeySecret" -}}
{{- if .Values.masterKey.existingSecret }}
{{- .Values.masterKey.existingSecret }}
{{- else }}
{{- include "agentd.fullname" . }}-master-key
{{- end }}
{{- end }}

{{- define "agentd.masterKeySecretKey" -}}
{{- if .Values.masterKey.existingSecret }}
{{- .Values.masterKey.existingSecretKey }}
{{- else -}}
AGENTD_MASTER_KEY
{{- end }}
{{- end }}

{{/*
The environment every agentd container gets, beside its role's own: the
listen address and port, the data directory, the master key from its Secret.
*/}}
{{- define "agentd.env" -}}
- name: AGENTD_HOST
  value: "0.0.0.0"
- name: AGENTD_PORT
  value: {{ .Values.port | int | quote }}
- name: AGENTD_DATA_DIR
  value: /var/lib/agentd
- name: AGENTD_MASTER_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "agentd.masterKeySecret" . }}
      key: {{ include "agentd.masterKeySecretKey" . }}
{{- end }}

{{/* The settings from the ConfigMap and the settings Secrets. */}}
{{- define "agentd.envFrom" -}}
- configMapRef:
    name: {{ include "agentd.fullname" . }}
{{- if .Values.secretConfig }}
- secretRef:
    name: {{ include "agentd.fullname" . }}-settings
{{- end }}
{{- if .Values.existingSecretConfig }}
- secretRef:
    name: {{ .Values.existingSecretConfig }}
{{- end }}
{{- end }}

{{/* The probes: liveness on /healthz, readiness on /readyz (database reachable, migrated). */}}
{{- define "agentd.probes" -}}
startupProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 2
  failureThreshold: 60
livenessProbe:
  httpGet:
    path: /healthz
    port: http
  periodSeconds: 10
  timeoutSeconds: 5
  failureThreshold: 3
readinessProbe:
  httpGet:
    path: /readyz
    port: http
  periodSeconds: 5
  timeoutSeconds: 5
  failureThreshold: 2
{{- end }}

{{/* The writable directories: the data directory, /tmp (Chromium's profiles, the sandboxes) and the home directory. */}}
{{- define "agentd.volumes" -}}
- name: data
{{- if .Values.dataVolume.existingClaim }}
  persistentVolumeClaim:
    claimName: {{ .Values.dataVolume.existingClaim }}
{{- else }}
  emptyDir: {}
{{- end }}
- name: tmp
  emptyDir: {}
- name: home
  emptyDir: {}
{{- end }}

{{- define "agentd.volumeMounts" -}}
- name: data
  mountPath: /var/lib/agentd
- name: tmp
  mountPath: /tmp
- name: home
  mountPath: /home/agentd
{{- end }}
