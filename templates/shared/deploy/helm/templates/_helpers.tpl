{{- define "service.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | quote }}
backstage.io/kubernetes-id: {{ .Chart.Name }}
tags.datadoghq.com/service: {{ .Chart.Name }}
tags.datadoghq.com/env: {{ .Values.observability.environment }}
tags.datadoghq.com/version: {{ .Values.image.tag | quote }}
{{- end -}}

{{- define "service.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}
