# stalls-vs-safepoints.py GC_LOG PROBE_OUTPUT...: which slow requests of bench/OneConnectionLatency.java overlap a JVM safepoint
# (a GC pause or another) in a log written with -Xlog:gc*,safepoint:file=GC_LOG:uptime,timemillis,tid; prints the slow
# time that did and did not, and the slowest requests with the safepoints they overlap.
import re,sys,glob
gc, stalls = sys.argv[1], sys.argv[2:]
sp=[]  # (start_ms, end_ms, name)
for line in open(gc):
    m=re.match(r'\[[\d.]+s\]\[(\d+)ms\]\[\d+\] Safepoint "([^"]+)".*Total: (\d+) ns',line)
    if m:
        end=int(m.group(1)); tot=int(m.group(3))/1e6
        sp.append((end-tot,end,m.group(2),tot))
tot_gc=0; tot_other=0; big=[]
for f in stalls:
    for line in open(f):
        m=re.match(r'SLOW start=(\d+)\.(\d+) ms=([\d.]+)',line)
        if not m: continue
        s=int(m.group(1))*1000+int(m.group(2)); d=float(m.group(3)); e=s+d
        ov=[(n,t) for (a,b,n,t) in sp if a<e+1 and b>s-1]
        cover=sum(t for n,t in ov)
        if ov: tot_gc+=d
        else: tot_other+=d
        if d>40: big.append((d, cover, ov))
print("slow ms overlapping a safepoint: %.0f, not: %.0f"%(tot_gc,tot_other))
for d,c,ov in sorted(big,reverse=True)[:25]:
    print("%.1f ms, safepoints %.1f ms: %s"%(d,c,", ".join("%s %.1f"%x for x in ov)))
