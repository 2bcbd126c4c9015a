package io.switchboard.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.AbstractEventExecutorGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops of the gateway verticles as one group, so that accepted sockets are registered on
 * exactly those loops (round robin), where their sessions and stream feeds live. The loops belong to
 * Vert.x: this group never shuts them down.
 */
final class LoopSet extends AbstractEventExecutorGroup implements EventLoopGroup {

  private final EventLoop[] loops;
  private final AtomicInteger next = new AtomicInteger();
  private final Future<?> never = ImmediateEventExecutor.INSTANCE.newPromise();

  LoopSet(List<EventLoop> loops) {
    this.loops = loops.toArray(new EventLoop[0]);
  }

  @Override
  public EventLoop next() {
    return loops[Math.floorMod(next.getAndIncrement(), loops.length)];
  }

  @Override
  public ChannelFuture register(Channel channel) {
    return next().register(channel);
  }

  @Override
  public ChannelFuture register(ChannelPromise promise) {
    return next().register(promise);
  }

  @Override
  @Deprecated
  public ChannelFuture register(Channel channel, ChannelPromise promise) {
    return next().register(channel, promise);
  }

  @Override
  public Iterator<EventExecutor> iterator() {
    return List.<EventExecutor>of(loops).iterator();
  }

  @Override
  public boolean isShuttingDown() {
    return false;
  }

  @Override
  public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
    return never;
  }

  @Override
  public Future<?> terminationFuture() {
    return never;
  }

  @Override
  @Deprecated
  public void shutdown() {
    // Vert.x owns the loops
  }

  @Override
  public boolean isShutdown() {
    return false;
  }

  @Override
  public boolean isTerminated() {
    return false;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return false;
  }
}
