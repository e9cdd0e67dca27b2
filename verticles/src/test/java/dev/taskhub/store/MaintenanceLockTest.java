package dev.taskhub.store;

import org.junit.jupiter.api.Test;

import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MaintenanceLockTest extends StoreTest {
  final String nodeA = UUID.randomUUID().toString();
  final String nodeB = UUID.randomUUID().toString();

  @Test
  void oneHubHoldsTheLockUntilItLetsGo() {
    MaintenanceLock a = store.maintenanceLock(nodeA);
    MaintenanceLock b = store.maintenanceLock(nodeB);

    assertThat(a.tryLock().await()).isTrue();
    assertThat(b.tryLock().await()).isFalse();

    a.close();
    await().until(() -> b.tryLock().await());
  }

  @Test
  void unseatingADepartedNodeEndsItsSessionAndFreesTheLock() {
    MaintenanceLock departed = store.maintenanceLock(nodeA);
    AtomicBoolean lost = new AtomicBoolean();
    departed.onLost(() -> lost.set(true));
    assertThat(departed.tryLock().await()).isTrue();
    MaintenanceLock survivor = store.maintenanceLock(nodeB);

    assertThat(survivor.unseat(UUID.randomUUID().toString()).await()).as("no such node").isFalse();
    assertThat(survivor.unseat(nodeA).await()).isTrue();

    await().untilTrue(lost);
    await().until(() -> survivor.tryLock().await());
  }
}
