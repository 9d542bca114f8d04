# Sourced by the bench scripts, which set $tmp (a scratch directory) first.
# start_etcd NAME: starts Debian's etcd (etcd-server) on free 127.0.0.1 ports with its data in $tmp/NAME-etcd and its
# log in $tmp/NAME-etcd.log; sets ETCD_URL (the client URL) and ETCD_PID and returns once /health answers true.
start_etcd() {
  local name=$1 client peer
  client=http://127.0.0.1:$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  peer=http://127.0.0.1:$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  etcd --name "$name" --data-dir "$tmp/$name-etcd" --listen-client-urls "$client" --advertise-client-urls "$client" \
    --listen-peer-urls "$peer" --initial-advertise-peer-urls "$peer" --initial-cluster "$name=$peer" \
    --logger zap --log-level warn >"$tmp/$name-etcd.log" 2>&1 &
  ETCD_PID=$!
  ETCD_URL=$client
  until curl -s --max-time 1 "$client/health" | grep -q '"true"'; do
    kill -0 "$ETCD_PID" 2>/dev/null || { echo "etcd exited before it was healthy:" >&2; cat "$tmp/$name-etcd.log" >&2; exit 1; }
    sleep 0.1
  done
}
