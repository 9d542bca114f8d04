package kubefake.store.registry.resources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kubefake.store.registry.KindRules;
import kubefake.store.registry.defaulting.Defaulter;
import kubefake.store.registry.selection.FieldLabels;
import kubefake.store.registry.validation.Validators;

/**
 * autoscaling HorizontalPodAutoscalers ({@code pkg/registry/autoscaling/horizontalpodautoscaler}): status only
 * through its subresource (the HPA controller's), no generation. Stored as autoscaling/v2; {@link #v1()} serves the
 * same objects as autoscaling/v1, converted on the way in and out ({@link AutoscalingV1Conversion}), defaulted as
 * v1 and validated on their v2 form.
 */
public class HorizontalPodAutoscalerStrategy extends StatusStrategy {

    public HorizontalPodAutoscalerStrategy() {
        super(new KindRules(Defaulter.HORIZONTAL_POD_AUTOSCALER, Validators.HORIZONTAL_POD_AUTOSCALER, FieldLabels.METADATA));
    }

    private HorizontalPodAutoscalerStrategy(KindRules rules) {
        super(rules);
    }

    /** The autoscaling/v1 view of the stored v2 objects. */
    public static HorizontalPodAutoscalerStrategy v1() {
        KindRules rules = new KindRules(Defaulter.HORIZONTAL_POD_AUTOSCALER_V1,
                (obj, old) -> Validators.HORIZONTAL_POD_AUTOSCALER.validate(AutoscalingV1Conversion.toV2(obj),
                        old == null ? null : AutoscalingV1Conversion.toV2(old)),
                FieldLabels.METADATA);
        return new HorizontalPodAutoscalerStrategy(rules) {
            @Override
            public boolean convertsStoredVersion() { return true; }

            @Override
            public ObjectNode fromStorage(ObjectNode stored) {
                return AutoscalingV1Conversion.toV1(stored);
            }

            @Override
            public ObjectNode toStorage(ObjectNode v1) {
                ObjectNode v2 = AutoscalingV1Conversion.toV2(v1);
                // what decoding the stored v2 object would default on every read of the real server
                Defaulter.HORIZONTAL_POD_AUTOSCALER.apply(v2);
                return v2;
            }
        };
    }
}
