#!/bin/bash
# instanton-bench: a plain JVM running the application's executable jar, under dumb-init (which
# forwards the stop signal, so the JVM exits normally and an AOT cache training writes its cache).
# First: the entrypoint's own clock for the start's timeline (bash's EPOCHREALTIME, no fork).
printf '%s\n' "${EPOCHREALTIME/[.,]/}" > /tmp/instanton-bench-entrypoint-at
set -eu
# JVM_ARGS unquoted on purpose: it holds several options (the AOT cache's among them).
# shellcheck disable=SC2086
exec java ${JVM_ARGS:-} -jar /opt/ib/app/app.jar
