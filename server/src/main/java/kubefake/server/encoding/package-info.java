/**
 * How answers are written, as the real API server's serializers write them: content negotiation of the Accept
 * header ({@link kubefake.server.encoding.ContentNegotiation}, goautoneg's order and apiserver's rules), the media
 * types (JSON, YAML, Kubernetes protobuf), and the JSON details clients see: Go's encoder newline, and
 * {@code json.MarshalIndent}'s indentation for {@code ?pretty} and curl/wget User-Agents
 * ({@link kubefake.server.encoding.PrettyPrint}, {@link kubefake.server.encoding.GoJsonIndent}). The protobuf
 * mapping itself is in {@link kubefake.server.protobuf}.
 */
package kubefake.server.encoding;
