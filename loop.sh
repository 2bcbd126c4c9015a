#!/bin/bash
# runs a subset of the unit tests repeatedly until a no-answer dump appears
cd /work/loop
for i in $(seq 1 ${1:-20}); do
  mvn -B -q test -Dtest='io.switchboard.gateway.*Test,io.switchboard.config.*Test,io.switchboard.api.*Test,io.switchboard.metrics.*Test,io.switchboard.DocsTest,io.switchboard.protocol.*Test,io.switchboard.auth.*Test' -Dsurefire.failIfNoSpecifiedTests=false -Djs.skip=true > /tmp/loop-$i.log 2>&1
  echo "run $i rc=$? $(date +%T) dumps=$(ls target/*.threads.txt 2>/dev/null | wc -l)"
  if ls target/*.threads.txt >/dev/null 2>&1; then mkdir -p /tmp/dumps; cp target/*.threads.txt /tmp/dumps/; cp -r target/surefire-reports /tmp/dumps/reports-$i; rm target/*.threads.txt; fi
done
