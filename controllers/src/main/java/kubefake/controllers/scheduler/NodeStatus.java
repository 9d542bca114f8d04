package kubefake.controllers.scheduler;

import java.util.List;

/**
 * Why a node cannot take a pod ({@code framework.Status} of a filter): the reasons, and whether preempting pods on
 * the node could change that ({@code Unschedulable}) or not ({@code UnschedulableAndUnresolvable}).
 */
record NodeStatus(boolean resolvable, List<String> reasons) {

    static NodeStatus unresolvable(String reason) {
        return new NodeStatus(false, List.of(reason));
    }

    static NodeStatus unschedulable(List<String> reasons) {
        return new NodeStatus(true, List.copyOf(reasons));
    }
}
