import javax.net.ssl.*;
import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.*;

/** java bench/OneConnectionLatency.java URL SECONDS cm|get (or javac it first): the one-connection latency probe of
 * docs/benchmarks/api-load.md. Sequential requests on one TLS keep-alive connection (ConfigMap creates into namespace
 * compare, or GETs of pod compare/p, as bench/compare.sh sets up; token bench-token); prints every request slower than
 * 10 ms with its wall-clock start (epoch s.ms, to set beside a GC log written with -Xlog:...:timemillis) and a summary of
 * the requests as sent, with no coordinated-omission correction (unlike wrk). Trusts any certificate: loopback only. */
public class OneConnectionLatency {
  public static void main(String[] a) throws Exception {
    URI u = URI.create(a[0]); int secs = Integer.parseInt(a[1]); String mode = a[2];
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[]{new X509TrustManager(){
      public void checkClientTrusted(X509Certificate[] c, String s){} public void checkServerTrusted(X509Certificate[] c, String s){}
      public X509Certificate[] getAcceptedIssuers(){return new X509Certificate[0];}}}, null);
    SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(u.getHost(), u.getPort());
    s.setTcpNoDelay(true);
    OutputStream out = new BufferedOutputStream(s.getOutputStream());
    InputStream in = new BufferedInputStream(s.getInputStream(), 65536);
    long end = System.nanoTime() + secs * 1_000_000_000L; int n = 0;
    long[] lat = new long[4_000_000];
    String pad = "v".repeat(200);
    long tag = System.currentTimeMillis();
    while (System.nanoTime() < end) {
      String req;
      if (mode.equals("get")) {
        req = "GET /api/v1/namespaces/compare/pods/p HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer bench-token\r\nAccept: application/json\r\n\r\n";
      } else {
        String body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"s-" + tag + "-" + n + "\",\"labels\":{\"app\":\"bench\"}},\"data\":{\"k\":\"" + pad + "\"}}";
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        req = "POST /api/v1/namespaces/compare/configmaps HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer bench-token\r\nAccept: application/json\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n" + body;
      }
      long wall = System.currentTimeMillis(); long t0 = System.nanoTime();
      out.write(req.getBytes(StandardCharsets.UTF_8)); out.flush();
      // read status line + headers
      int cl = -1; String line; boolean chunked = false; int status = 0;
      while (!(line = readLine(in)).isEmpty()) {
        if (line.startsWith("HTTP/")) status = Integer.parseInt(line.substring(9, 12));
        String l = line.toLowerCase();
        if (l.startsWith("content-length:")) cl = Integer.parseInt(l.substring(15).trim());
        if (l.startsWith("transfer-encoding:") && l.contains("chunked")) chunked = true;
      }
      if (chunked) { while (true) { int sz = Integer.parseInt(readLine(in).trim(), 16); in.readNBytes(sz + 2); if (sz == 0) break; } }
      else in.readNBytes(cl);
      long d = System.nanoTime() - t0;
      if (status >= 400) System.out.println("status " + status);
      lat[n++] = d;
      if (d > 10_000_000) System.out.printf("SLOW start=%d.%03d ms=%.1f%n", wall / 1000, wall % 1000, d / 1e6);
    }
    long[] l = Arrays.copyOf(lat, n); Arrays.sort(l);
    long sum = 0; for (long x : l) sum += x;
    System.out.printf("SUMMARY n=%d rps=%.0f p50=%.3f p99=%.3f p999=%.3f max=%.1f ms; time in requests>10ms: %.0f ms%n", n, n / (double) secs,
      l[n / 2] / 1e6, l[(int) (n * 0.99)] / 1e6, l[(int) (n * 0.999)] / 1e6, l[n - 1] / 1e6,
      Arrays.stream(l).filter(x -> x > 10_000_000).sum() / 1e6);
  }
  static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder(); int c;
    while ((c = in.read()) != -1) { if (c == '\n') break; if (c != '\r') b.append((char) c); }
    return b.toString();
  }
}
