package io.switchboard.support;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

import java.util.List;

/** Mints test tokens the way a customer's backend would. */
public final class Tokens {

  private static final Vertx VERTX = Vertx.vertx();

  private final JsonObject claims = new JsonObject();
  private String algorithm = "HS256";
  private String key = TestNode.SECRET;

  private Tokens(String user) {
    claims.put("sub", user).put("rooms", new JsonArray().add("*"));
    claims.put("exp", System.currentTimeMillis() / 1000 + 3600);
  }

  /** sub = user, may join any room, may not broadcast, expires in an hour. */
  public static Tokens user(String user) {
    return new Tokens(user);
  }

  public Tokens rooms(String... patterns) {
    claims.put("rooms", new JsonArray(List.of((Object[]) patterns)));
    return this;
  }

  public Tokens send(String... patterns) {
    claims.put("send", new JsonArray(List.of((Object[]) patterns)));
    return this;
  }

  public Tokens broadcast(boolean allowed) {
    claims.put("broadcast", allowed);
    return this;
  }

  public Tokens expiresInSeconds(long seconds) {
    claims.put("exp", System.currentTimeMillis() / 1000 + seconds);
    return this;
  }

  public Tokens claim(String name, Object value) {
    claims.put(name, value);
    return this;
  }

  /** Signs with another algorithm and key (PEM private key for RS/ES, secret for HS). */
  public Tokens signedWith(String algorithm, String key) {
    this.algorithm = algorithm;
    this.key = key;
    return this;
  }

  public String sign() {
    JWTAuth auth = JWTAuth.create(VERTX, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm(algorithm).setBuffer(key)));
    // exp is set by hand above: noTimestamp keeps iat out so a past exp stays as written
    return auth.generateToken(claims, new JWTOptions().setAlgorithm(algorithm).setNoTimestamp(true));
  }
}
