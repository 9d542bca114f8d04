# Sourced by the bench scripts, which set $tmp (a scratch directory) first.
# start_kubefake JAR NAME [FLAG...]: starts `JAR up` on a free 127.0.0.1 port with the static token bench-token
# (system:masters, or the groups in $BENCH_GROUPS at the call, e.g. kubeadm:cluster-admins to be authorized by RBAC as
# admin.conf's user is), its data in $tmp/NAME and its output in $tmp/NAME.log; sets PORT and PID and returns once /readyz
# answers ok. stop_kubefake: stops every server started so (for the scripts' EXIT trap). create_namespace NAME: a
# namespace for a load's objects on the server started last.
SERVER_PIDS=()

start_kubefake() {
  local jar=$1 name=$2
  shift 2
  echo "bench-token,bench,bench-uid,\"${BENCH_GROUPS:-system:masters}\"" >"$tmp/$name-tokens.csv"
  PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  java ${KUBEFAKE_JAVA_OPTS:-} -jar "$jar" up --data-dir "$tmp/$name" --port "$PORT" --bind-address 127.0.0.1 \
    --advertise-address 127.0.0.1 --token-auth-file "$tmp/$name-tokens.csv" "$@" >"$tmp/$name.log" 2>&1 &
  PID=$!
  SERVER_PIDS+=("$PID")
  until [ "$(curl -sk --max-time 1 "https://127.0.0.1:$PORT/readyz")" = ok ]; do
    kill -0 "$PID" 2>/dev/null || { echo "kubefake ($jar) exited before it was ready:" >&2; cat "$tmp/$name.log" >&2; exit 1; }
    sleep 0.05
  done
}

stop_kubefake() {
  [ ${#SERVER_PIDS[@]} -gt 0 ] && kill "${SERVER_PIDS[@]}" 2>/dev/null
  wait 2>/dev/null
}

create_namespace() {
  curl -sk -H "Authorization: Bearer bench-token" -H 'Content-Type: application/json' -X POST \
    "https://127.0.0.1:$PORT/api/v1/namespaces" -d '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"'"$1"'"}}' -o /dev/null
}
