package io.switchboard.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;

/**
 * Reads client JSON with its own Jackson factory, bounded so that no frame can make the parser work
 * or allocate much beyond its own size: Jackson's defaults (nesting 1000, strings of 20 M, numbers of
 * 1000 digits, whose parsing is quadratic) are far looser than anything a frame of
 * {@code limits.maxMessageBytes} legitimately holds. The Vert.x-wide mapper is left alone: the HTTP
 * API and the event bus keep theirs.
 */
public final class JsonLimits {

  /** Nesting of objects and arrays, the frame itself counting as one level (a body may use 31). */
  public static final int MAX_DEPTH = 32;
  /** Characters of a number: more than any seq (16 digits) or double needs, short enough to parse in linear time. */
  public static final int MAX_NUMBER_LENGTH = 32;

  /** The limits at the default message size, for code and tests that have no configuration at hand. */
  public static final JsonLimits DEFAULT = new JsonLimits(64 * 1024);

  private final JsonFactory factory;
  private final String violation;

  public JsonLimits(int maxMessageBytes) {
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxStringLength(maxMessageBytes)
            .maxNameLength(maxMessageBytes)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxDocumentLength(maxMessageBytes)
            .build())
        // last-one-wins would let {"type":"ping","type":"send"} mean what the client did not check
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        // Jackson keeps every field name it reads in a table shared by all parsers of the factory.
        // Here the names are the clients' (resume maps name one stream per user, bodies anything):
        // thousands of distinct names made each lookup walk long chains (6% of a node's CPU in a
        // reconnect storm) and kept names that no frame needs again
        .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
        .build();
    this.violation = "frame exceeds the JSON limits: nesting depth " + MAX_DEPTH + ", strings of " + maxMessageBytes
        + " characters, numbers of " + MAX_NUMBER_LENGTH + " characters";
  }

  /** The frame as an object; anything else (or a limit exceeded) is a {@code bad_request} without ref. */
  public JsonObject readObject(String text) {
    try (JsonParser p = factory.createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw notAnObject();
      }
      JsonObject o = object(p);
      if (p.nextToken() != null) {
        throw notAnObject();
      }
      return o;
    } catch (StreamConstraintsException e) {
      throw new ProtocolException(ErrorCode.BAD_REQUEST, null, violation);
    } catch (StreamReadException e) {
      throw duplicateKey(e);
    } catch (IOException e) {
      throw notAnObject();
    }
  }

  private static JsonObject object(JsonParser p) throws IOException {
    JsonObject o = new JsonObject();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      o.put(name, value(p, p.nextToken()));
    }
    return o;
  }

  private static JsonArray array(JsonParser p) throws IOException {
    JsonArray a = new JsonArray();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      a.add(value(p, t));
    }
    return a;
  }

  private static Object value(JsonParser p, JsonToken t) throws IOException {
    switch (t) {
      case START_OBJECT:
        return object(p);
      case START_ARRAY:
        return array(p);
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberValue();
      case VALUE_NUMBER_FLOAT:
        double d = p.getDoubleValue();
        // 1e999 parses to Infinity, which re-encodes as a bare word that is not JSON
        if (!Double.isFinite(d)) {
          throw new ProtocolException(ErrorCode.BAD_REQUEST, null, "a number is out of the range of a double");
        }
        return d;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw notAnObject();
    }
  }

  /** Jackson reports a duplicate as {@code Duplicate field 'name'}; any other read error is malformed JSON. */
  private static ProtocolException duplicateKey(StreamReadException e) {
    String m = String.valueOf(e.getOriginalMessage());
    int open = m.indexOf('\'');
    int close = m.lastIndexOf('\'');
    if (!m.startsWith("Duplicate field") || close <= open) {
      return notAnObject();
    }
    return new ProtocolException(ErrorCode.BAD_REQUEST, null, "duplicate key \""
        + FrameParser.truncate(m.substring(open + 1, close)) + "\": a key may appear once per object");
  }

  private static ProtocolException notAnObject() {
    return new ProtocolException(ErrorCode.BAD_REQUEST, null, "frame is not a JSON object");
  }
}
