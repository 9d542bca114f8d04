package kubefake.store.registry.cel;

import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One evaluation's cost bound: what fits runs, what does not is cancelled with cel-go's message. */
class CelExpressionTest {
    private static final CelEnvironment ENV = CelEnvironment.of(Map.of("self", ListType.create(SimpleType.INT)), null);

    private static List<Long> ones(int n) {
        List<Long> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(1L);
        return l;
    }

    @Test
    void anEvaluationOverThePerCallLimitIsCancelled() throws Exception {
        CelExpression rule = ENV.compile("self.all(x, x > 0 && x < 10)");
        assertEquals(true, rule.evaluate(Map.of("self", ones(1_000))));
        CelEvaluationError e = assertThrows(CelEvaluationError.class, () -> rule.evaluate(Map.of("self", ones(300_000))));
        assertEquals("operation cancelled: actual cost limit exceeded", e.getMessage());
        assertTrue(e.budgetExceeded());
        // each evaluation has its own budget
        assertEquals(true, rule.evaluate(Map.of("self", ones(1_000))));
    }
}
