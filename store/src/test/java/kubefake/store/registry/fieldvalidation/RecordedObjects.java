package kubefake.store.registry.fieldvalidation;

import java.util.Map;

/**
 * Objects a real Kubernetes 1.33 API server stored and returned (kubectl get -o yaml), copied from the
 * recording under reference/k8s-1.33/kubectl/1.33/ (yaml-*.out; single pods out of yaml-kube-system-pods.out).
 * Every one of them must decode without an unknown field.
 */
final class RecordedObjects {

    private RecordedObjects() {
    }

    /** YAML by the name of the recording it comes from. */
    static final Map<String, String> YAML = Map.ofEntries(
            Map.entry("yaml-configmap-cfg", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              creationTimestamp: "2026-11-22T13:51:57Z"
              name: cfg
              namespace: ref
              resourceVersion: "621"
              uid: 049d7b50-bc7f-45ab-9f9d-978a4a0cfe74
            """),
            Map.entry("yaml-deploy-pod", """
            apiVersion: v1
            kind: Pod
            metadata:
              creationTimestamp: "2026-11-22T13:52:21Z"
              generateName: echo-hname-6d4db5f9d9-
              generation: 1
              labels:
                app: nginx
                pod-template-hash: 6d4db5f9d9
              name: echo-hname-6d4db5f9d9-26c2k
              namespace: ref
              ownerReferences:
              - apiVersion: apps/v1
                blockOwnerDeletion: true
                controller: true
                kind: ReplicaSet
                name: echo-hname-6d4db5f9d9
                uid: 85071541-2c36-4f06-8f14-12197616a336
              resourceVersion: "709"
              uid: 1d980adb-2040-47bd-a733-7b58ba127a8f
            spec:
              containers:
              - image: sysnet4admin/echo-hname
                imagePullPolicy: Always
                name: echo-hname
                resources: {}
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-74tgb
                  readOnly: true
              dnsPolicy: ClusterFirst
              enableServiceLinks: true
              nodeName: w2-k8s
              preemptionPolicy: PreemptLowerPriority
              priority: 0
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext: {}
              serviceAccount: default
              serviceAccountName: default
              terminationGracePeriodSeconds: 30
              tolerations:
              - effect: NoExecute
                key: node.kubernetes.io/not-ready
                operator: Exists
                tolerationSeconds: 300
              - effect: NoExecute
                key: node.kubernetes.io/unreachable
                operator: Exists
                tolerationSeconds: 300
              volumes:
              - name: kube-api-access-74tgb
                projected:
                  defaultMode: 420
                  sources:
                  - serviceAccountToken:
                      expirationSeconds: 3607
                      path: token
                  - configMap:
                      items:
                      - key: ca.crt
                        path: ca.crt
                      name: kube-root-ca.crt
                  - downwardAPI:
                      items:
                      - fieldRef:
                          apiVersion: v1
                          fieldPath: metadata.namespace
                        path: namespace
            status:
              conditions:
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:22Z"
                status: "True"
                type: PodReadyToStartContainers
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:21Z"
                status: "True"
                type: Initialized
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:21Z"
                status: "True"
                type: Ready
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:21Z"
                status: "True"
                type: ContainersReady
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:21Z"
                status: "True"
                type: PodScheduled
              containerStatuses:
              - containerID: fakeRuntime://echo-hname-6d4db5f9d9-26c2k_ref_1d980adb-2040-47bd-a733-7b58ba127a8f_0_echo-hname_0
                image: sysnet4admin/echo-hname:latest
                imageID: sysnet4admin/echo-hname:latest
                lastState: {}
                name: echo-hname
                ready: true
                resources: {}
                restartCount: 0
                state:
                  running:
                    startedAt: "2026-11-22T13:52:21Z"
                volumeMounts:
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-74tgb
                  readOnly: true
                  recursiveReadOnly: Disabled
              hostIP: 127.0.0.1
              hostIPs:
              - ip: 127.0.0.1
              phase: Running
              podIP: 192.168.192.168
              podIPs:
              - ip: 192.168.192.168
              qosClass: BestEffort
              startTime: "2026-11-22T13:52:21Z"
            """),
            Map.entry("yaml-deployment-echo-hname", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              annotations:
                deployment.kubernetes.io/revision: "1"
              creationTimestamp: "2026-11-22T13:52:21Z"
              generation: 1
              labels:
                app: nginx
              name: echo-hname
              namespace: ref
              resourceVersion: "692"
              uid: b9b45103-af94-4532-b34b-5d2cf7991835
            spec:
              progressDeadlineSeconds: 600
              replicas: 3
              revisionHistoryLimit: 10
              selector:
                matchLabels:
                  app: nginx
              strategy:
                rollingUpdate:
                  maxSurge: 25%
                  maxUnavailable: 25%
                type: RollingUpdate
              template:
                metadata:
                  creationTimestamp: null
                  labels:
                    app: nginx
                spec:
                  containers:
                  - image: sysnet4admin/echo-hname
                    imagePullPolicy: Always
                    name: echo-hname
                    resources: {}
                    terminationMessagePath: /dev/termination-log
                    terminationMessagePolicy: File
                  dnsPolicy: ClusterFirst
                  restartPolicy: Always
                  schedulerName: default-scheduler
                  securityContext: {}
                  terminationGracePeriodSeconds: 30
            status:
              availableReplicas: 3
              conditions:
              - lastTransitionTime: "2026-11-22T13:52:21Z"
                lastUpdateTime: "2026-11-22T13:52:21Z"
                message: Deployment has minimum availability.
                reason: MinimumReplicasAvailable
                status: "True"
                type: Available
              - lastTransitionTime: "2026-11-22T13:52:21Z"
                lastUpdateTime: "2026-11-22T13:52:21Z"
                message: ReplicaSet "echo-hname-6d4db5f9d9" has successfully progressed.
                reason: NewReplicaSetAvailable
                status: "True"
                type: Progressing
              observedGeneration: 1
              readyReplicas: 3
              replicas: 3
              updatedReplicas: 3
            """),
            Map.entry("yaml-endpoints", """
            apiVersion: v1
            kind: Endpoints
            metadata:
              creationTimestamp: "2026-11-22T13:52:21Z"
              labels:
                endpoints.kubernetes.io/managed-by: endpoint-controller
              name: web
              namespace: ref
              resourceVersion: "710"
              uid: f362ec21-6112-4f8e-8460-054243827be4
            subsets:
            - addresses:
              - ip: 192.168.192.168
                nodeName: w2-k8s
                targetRef:
                  kind: Pod
                  name: echo-hname-6d4db5f9d9-26c2k
                  namespace: ref
                  uid: 1d980adb-2040-47bd-a733-7b58ba127a8f
              - ip: 192.168.192.168
                nodeName: w3-k8s
                targetRef:
                  kind: Pod
                  name: echo-hname-6d4db5f9d9-bxmcc
                  namespace: ref
                  uid: 78b2444b-4e54-4906-83a4-4858ef48167d
              - ip: 192.168.192.168
                nodeName: w1-k8s
                targetRef:
                  kind: Pod
                  name: echo-hname-6d4db5f9d9-b2wl8
                  namespace: ref
                  uid: f652531e-b686-4561-8b62-f6ba19a43861
              ports:
              - port: 80
                protocol: TCP
            """),
            Map.entry("yaml-endpointslices", """
            apiVersion: v1
            items:
            - addressType: IPv4
              apiVersion: discovery.k8s.io/v1
              endpoints:
              - addresses:
                - 192.168.192.168
                conditions:
                  ready: true
                  serving: true
                  terminating: false
                nodeName: w1-k8s
                targetRef:
                  kind: Pod
                  name: echo-hname-6d4db5f9d9-b2wl8
                  namespace: ref
                  uid: f652531e-b686-4561-8b62-f6ba19a43861
              - addresses:
                - 192.168.192.168
                conditions:
                  ready: true
                  serving: true
                  terminating: false
                nodeName: w3-k8s
                targetRef:
                  kind: Pod
                  name: echo-hname-6d4db5f9d9-bxmcc
                  namespace: ref
                  uid: 78b2444b-4e54-4906-83a4-4858ef48167d
              - addresses:
                - 192.168.192.168
                conditions:
                  ready: true
                  serving: true
                  terminating: false
                nodeName: w2-k8s
                targetRef:
                  kind: Pod
                  name: echo-hname-6d4db5f9d9-26c2k
                  namespace: ref
                  uid: 1d980adb-2040-47bd-a733-7b58ba127a8f
              kind: EndpointSlice
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                generateName: web-
                generation: 4
                labels:
                  endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io
                  kubernetes.io/service-name: web
                name: web-jrlw5
                namespace: ref
                ownerReferences:
                - apiVersion: v1
                  blockOwnerDeletion: true
                  controller: true
                  kind: Service
                  name: web
                  uid: 195e23d5-8eb7-4309-b196-3ddb2999d5f2
                resourceVersion: "711"
                uid: 63ffbb94-1d39-474c-aea8-3b1fb5da8025
              ports:
              - name: ""
                port: 80
                protocol: TCP
            kind: List
            metadata:
              resourceVersion: ""
            """),
            Map.entry("yaml-events", """
            apiVersion: v1
            items:
            - action: Binding
              apiVersion: v1
              eventTime: "2026-11-22T13:52:21.629639Z"
              firstTimestamp: null
              involvedObject:
                apiVersion: v1
                kind: Pod
                name: echo-hname-6d4db5f9d9-26c2k
                namespace: ref
                resourceVersion: "673"
                uid: 1d980adb-2040-47bd-a733-7b58ba127a8f
              kind: Event
              lastTimestamp: null
              message: Successfully assigned ref/echo-hname-6d4db5f9d9-26c2k to w2-k8s
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                name: echo-hname-6d4db5f9d9-26c2k.18ea625a58602ff9
                namespace: ref
                resourceVersion: "683"
                uid: 647b7271-ed81-4496-8022-8fe5cef8d0b1
              reason: Scheduled
              reportingComponent: default-scheduler
              reportingInstance: default-scheduler-vm
              source: {}
              type: Normal
            - action: Binding
              apiVersion: v1
              eventTime: "2026-11-22T13:52:21.613307Z"
              firstTimestamp: null
              involvedObject:
                apiVersion: v1
                kind: Pod
                name: echo-hname-6d4db5f9d9-b2wl8
                namespace: ref
                resourceVersion: "669"
                uid: f652531e-b686-4561-8b62-f6ba19a43861
              kind: Event
              lastTimestamp: null
              message: Successfully assigned ref/echo-hname-6d4db5f9d9-b2wl8 to w1-k8s
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                name: echo-hname-6d4db5f9d9-b2wl8.18ea625a5763fbf5
                namespace: ref
                resourceVersion: "679"
                uid: 3efaddf6-a26f-4f70-adbd-99900be16526
              reason: Scheduled
              reportingComponent: default-scheduler
              reportingInstance: default-scheduler-vm
              source: {}
              type: Normal
            - action: Binding
              apiVersion: v1
              eventTime: "2026-11-22T13:52:21.610805Z"
              firstTimestamp: null
              involvedObject:
                apiVersion: v1
                kind: Pod
                name: echo-hname-6d4db5f9d9-bxmcc
                namespace: ref
                resourceVersion: "667"
                uid: 78b2444b-4e54-4906-83a4-4858ef48167d
              kind: Event
              lastTimestamp: null
              message: Successfully assigned ref/echo-hname-6d4db5f9d9-bxmcc to w3-k8s
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                name: echo-hname-6d4db5f9d9-bxmcc.18ea625a573dcde0
                namespace: ref
                resourceVersion: "676"
                uid: 89d0fb02-55bc-4b14-89a2-ea30be15c10d
              reason: Scheduled
              reportingComponent: default-scheduler
              reportingInstance: default-scheduler-vm
              source: {}
              type: Normal
            - apiVersion: v1
              count: 1
              eventTime: null
              firstTimestamp: "2026-11-22T13:52:21Z"
              involvedObject:
                apiVersion: apps/v1
                kind: ReplicaSet
                name: echo-hname-6d4db5f9d9
                namespace: ref
                resourceVersion: "665"
                uid: 85071541-2c36-4f06-8f14-12197616a336
              kind: Event
              lastTimestamp: "2026-11-22T13:52:21Z"
              message: 'Created pod: echo-hname-6d4db5f9d9-bxmcc'
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                name: echo-hname-6d4db5f9d9.18ea625a5616dbe6
                namespace: ref
                resourceVersion: "670"
                uid: 615eddc7-cadc-421a-8157-38d80286046a
              reason: SuccessfulCreate
              reportingComponent: replicaset-controller
              reportingInstance: ""
              source:
                component: replicaset-controller
              type: Normal
            - apiVersion: v1
              count: 1
              eventTime: null
              firstTimestamp: "2026-11-22T13:52:21Z"
              involvedObject:
                apiVersion: apps/v1
                kind: ReplicaSet
                name: echo-hname-6d4db5f9d9
                namespace: ref
                resourceVersion: "665"
                uid: 85071541-2c36-4f06-8f14-12197616a336
              kind: Event
              lastTimestamp: "2026-11-22T13:52:21Z"
              message: 'Created pod: echo-hname-6d4db5f9d9-b2wl8'
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                name: echo-hname-6d4db5f9d9.18ea625a56ee83b1
                namespace: ref
                resourceVersion: "675"
                uid: 38e70e57-21c7-41bb-8b6e-a243555e44f9
              reason: SuccessfulCreate
              reportingComponent: replicaset-controller
              reportingInstance: ""
              source:
                component: replicaset-controller
              type: Normal
            - apiVersion: v1
              count: 1
              eventTime: null
              firstTimestamp: "2026-11-22T13:52:21Z"
              involvedObject:
                apiVersion: apps/v1
                kind: ReplicaSet
                name: echo-hname-6d4db5f9d9
                namespace: ref
                resourceVersion: "665"
                uid: 85071541-2c36-4f06-8f14-12197616a336
              kind: Event
              lastTimestamp: "2026-11-22T13:52:21Z"
              message: 'Created pod: echo-hname-6d4db5f9d9-26c2k'
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                name: echo-hname-6d4db5f9d9.18ea625a57650f81
                namespace: ref
                resourceVersion: "678"
                uid: 0e417e7d-fb9a-4b38-95a2-22dd3c36c0a9
              reason: SuccessfulCreate
              reportingComponent: replicaset-controller
              reportingInstance: ""
              source:
                component: replicaset-controller
              type: Normal
            - apiVersion: v1
              count: 1
              eventTime: null
              firstTimestamp: "2026-11-22T13:52:21Z"
              involvedObject:
                apiVersion: apps/v1
                kind: Deployment
                name: echo-hname
                namespace: ref
                resourceVersion: "664"
                uid: b9b45103-af94-4532-b34b-5d2cf7991835
              kind: Event
              lastTimestamp: "2026-11-22T13:52:21Z"
              message: Scaled up replica set echo-hname-6d4db5f9d9 from 0 to 3
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                name: echo-hname.18ea625a5564d4f0
                namespace: ref
                resourceVersion: "668"
                uid: 8eefdc99-796a-4926-8e0c-0a419f3be299
              reason: ScalingReplicaSet
              reportingComponent: deployment-controller
              reportingInstance: ""
              source:
                component: deployment-controller
              type: Normal
            - action: Binding
              apiVersion: v1
              eventTime: "2026-11-22T13:52:21.471957Z"
              firstTimestamp: null
              involvedObject:
                apiVersion: v1
                kind: Pod
                name: nginx-pod
                namespace: ref
                resourceVersion: "659"
                uid: 37c4a766-1e9c-4cec-8039-055f4e7cd634
              kind: Event
              lastTimestamp: null
              message: Successfully assigned ref/nginx-pod to w2-k8s
              metadata:
                creationTimestamp: "2026-11-22T13:52:21Z"
                name: nginx-pod.18ea625a4ef72e22
                namespace: ref
                resourceVersion: "661"
                uid: 0221ea40-811a-4a1e-81b0-b306ddb1e559
              reason: Scheduled
              reportingComponent: default-scheduler
              reportingInstance: default-scheduler-vm
              source: {}
              type: Normal
            kind: List
            metadata:
              resourceVersion: ""
            """),
            Map.entry("yaml-namespace-ref", """
            apiVersion: v1
            kind: Namespace
            metadata:
              creationTimestamp: "2026-11-22T13:51:32Z"
              labels:
                kubernetes.io/metadata.name: ref
              name: ref
              resourceVersion: "579"
              uid: ca62a755-57ec-4844-8f78-8ba00316520c
            spec:
              finalizers:
              - kubernetes
            status:
              phase: Active
            """),
            Map.entry("yaml-node-w1", """
            apiVersion: v1
            kind: Node
            metadata:
              annotations:
                node.alpha.kubernetes.io/ttl: "0"
              creationTimestamp: "2026-11-22T13:49:40Z"
              labels:
                beta.kubernetes.io/arch: amd64
                beta.kubernetes.io/os: linux
                kubernetes.io/arch: amd64
                kubernetes.io/hostname: w1-k8s
                kubernetes.io/os: linux
              name: w1-k8s
              resourceVersion: "446"
              uid: 0bf8c624-1e9d-4e26-ad36-e55f59a74474
            spec:
              podCIDR: 172.16.1.0/24
              podCIDRs:
              - 172.16.1.0/24
              providerID: kubemark://w1-k8s
            status:
              addresses:
              - address: 127.0.0.1
                type: InternalIP
              - address: w1-k8s
                type: Hostname
              allocatable:
                cpu: "1"
                ephemeral-storage: "0"
                memory: 3840Mi
                pods: "110"
              capacity:
                cpu: "1"
                ephemeral-storage: "0"
                memory: 3840Mi
                pods: "110"
              conditions:
              - lastHeartbeatTime: "2026-11-22T13:50:11Z"
                lastTransitionTime: "2026-11-22T13:49:40Z"
                message: kubelet has sufficient memory available
                reason: KubeletHasSufficientMemory
                status: "False"
                type: MemoryPressure
              - lastHeartbeatTime: "2026-11-22T13:50:11Z"
                lastTransitionTime: "2026-11-22T13:49:40Z"
                message: kubelet has no disk pressure
                reason: KubeletHasNoDiskPressure
                status: "False"
                type: DiskPressure
              - lastHeartbeatTime: "2026-11-22T13:50:11Z"
                lastTransitionTime: "2026-11-22T13:49:40Z"
                message: kubelet has sufficient PID available
                reason: KubeletHasSufficientPID
                status: "False"
                type: PIDPressure
              - lastHeartbeatTime: "2026-11-22T13:50:11Z"
                lastTransitionTime: "2026-11-22T13:49:40Z"
                message: kubelet is posting ready status
                reason: KubeletReady
                status: "True"
                type: Ready
              daemonEndpoints:
                kubeletEndpoint:
                  Port: 11251
              images:
              - names:
                - registry.k8s.io/kube-proxy:v1.33.13
              - names:
                - registry.k8s.io/coredns/coredns:v1.12.0
              nodeInfo:
                architecture: amd64
                bootID: ""
                containerRuntimeVersion: fakeRuntime://0.1.0
                kernelVersion: 3.16.0-0.bpo.4-amd64
                kubeProxyVersion: ""
                kubeletVersion: v1.33.13
                machineID: ""
                operatingSystem: linux
                osImage: Debian GNU/Linux 7 (wheezy)
                systemUUID: ""
            """),
            Map.entry("yaml-pod-nginx-pod", """
            apiVersion: v1
            kind: Pod
            metadata:
              creationTimestamp: "2026-11-22T13:52:21Z"
              generation: 1
              name: nginx-pod
              namespace: ref
              resourceVersion: "712"
              uid: 37c4a766-1e9c-4cec-8039-055f4e7cd634
            spec:
              containers:
              - image: nginx
                imagePullPolicy: Always
                name: container-name
                resources: {}
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-kbchp
                  readOnly: true
              dnsPolicy: ClusterFirst
              enableServiceLinks: true
              nodeName: w2-k8s
              preemptionPolicy: PreemptLowerPriority
              priority: 0
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext: {}
              serviceAccount: default
              serviceAccountName: default
              terminationGracePeriodSeconds: 30
              tolerations:
              - effect: NoExecute
                key: node.kubernetes.io/not-ready
                operator: Exists
                tolerationSeconds: 300
              - effect: NoExecute
                key: node.kubernetes.io/unreachable
                operator: Exists
                tolerationSeconds: 300
              volumes:
              - name: kube-api-access-kbchp
                projected:
                  defaultMode: 420
                  sources:
                  - serviceAccountToken:
                      expirationSeconds: 3607
                      path: token
                  - configMap:
                      items:
                      - key: ca.crt
                        path: ca.crt
                      name: kube-root-ca.crt
                  - downwardAPI:
                      items:
                      - fieldRef:
                          apiVersion: v1
                          fieldPath: metadata.namespace
                        path: namespace
            status:
              conditions:
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:22Z"
                status: "True"
                type: PodReadyToStartContainers
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:21Z"
                status: "True"
                type: Initialized
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:21Z"
                status: "True"
                type: Ready
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:21Z"
                status: "True"
                type: ContainersReady
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:52:21Z"
                status: "True"
                type: PodScheduled
              containerStatuses:
              - containerID: fakeRuntime://nginx-pod_ref_37c4a766-1e9c-4cec-8039-055f4e7cd634_0_container-name_0
                image: nginx:latest
                imageID: nginx:latest
                lastState: {}
                name: container-name
                ready: true
                resources: {}
                restartCount: 0
                state:
                  running:
                    startedAt: "2026-11-22T13:52:21Z"
                volumeMounts:
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-kbchp
                  readOnly: true
                  recursiveReadOnly: Disabled
              hostIP: 127.0.0.1
              hostIPs:
              - ip: 127.0.0.1
              phase: Running
              podIP: 192.168.192.168
              podIPs:
              - ip: 192.168.192.168
              qosClass: BestEffort
              startTime: "2026-11-22T13:52:21Z"
            """),
            Map.entry("yaml-replicaset", """
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              annotations:
                deployment.kubernetes.io/desired-replicas: "3"
                deployment.kubernetes.io/max-replicas: "4"
                deployment.kubernetes.io/revision: "1"
              creationTimestamp: "2026-11-22T13:52:21Z"
              generation: 1
              labels:
                app: nginx
                pod-template-hash: 6d4db5f9d9
              name: echo-hname-6d4db5f9d9
              namespace: ref
              ownerReferences:
              - apiVersion: apps/v1
                blockOwnerDeletion: true
                controller: true
                kind: Deployment
                name: echo-hname
                uid: b9b45103-af94-4532-b34b-5d2cf7991835
              resourceVersion: "691"
              uid: 85071541-2c36-4f06-8f14-12197616a336
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: nginx
                  pod-template-hash: 6d4db5f9d9
              template:
                metadata:
                  creationTimestamp: null
                  labels:
                    app: nginx
                    pod-template-hash: 6d4db5f9d9
                spec:
                  containers:
                  - image: sysnet4admin/echo-hname
                    imagePullPolicy: Always
                    name: echo-hname
                    resources: {}
                    terminationMessagePath: /dev/termination-log
                    terminationMessagePolicy: File
                  dnsPolicy: ClusterFirst
                  restartPolicy: Always
                  schedulerName: default-scheduler
                  securityContext: {}
                  terminationGracePeriodSeconds: 30
            status:
              availableReplicas: 3
              fullyLabeledReplicas: 3
              observedGeneration: 1
              readyReplicas: 3
              replicas: 3
            """),
            Map.entry("yaml-secret-sec", """
            apiVersion: v1
            data:
              pw: eA==
            kind: Secret
            metadata:
              creationTimestamp: "2026-11-22T13:52:21Z"
              name: sec
              namespace: ref
              resourceVersion: "702"
              uid: 1a4d827c-ec02-4dbd-83b1-4700cdbe0f1f
            type: Opaque
            """),
            Map.entry("yaml-service-web", """
            apiVersion: v1
            kind: Service
            metadata:
              creationTimestamp: "2026-11-22T13:52:21Z"
              name: web
              namespace: ref
              resourceVersion: "697"
              uid: 195e23d5-8eb7-4309-b196-3ddb2999d5f2
            spec:
              clusterIP: 10.111.226.197
              clusterIPs:
              - 10.111.226.197
              externalTrafficPolicy: Cluster
              internalTrafficPolicy: Cluster
              ipFamilies:
              - IPv4
              ipFamilyPolicy: SingleStack
              ports:
              - nodePort: 30745
                port: 80
                protocol: TCP
                targetPort: 80
              selector:
                app: nginx
              sessionAffinity: None
              type: NodePort
            status:
              loadBalancer: {}
            """),
            Map.entry("yaml-serviceaccount-default", """
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              creationTimestamp: "2026-11-22T13:51:32Z"
              name: default
              namespace: ref
              resourceVersion: "580"
              uid: b4d0a1a6-b614-4283-9fbc-87fe4a4b2dc2
            """),
            Map.entry("kube-system-coredns-674b8bbfcf-457kt", """
            apiVersion: v1
            kind: Pod
            metadata:
              creationTimestamp: "2026-11-22T13:49:46Z"
              generateName: coredns-674b8bbfcf-
              generation: 1
              labels:
                k8s-app: kube-dns
                pod-template-hash: 674b8bbfcf
              name: coredns-674b8bbfcf-457kt
              namespace: kube-system
              ownerReferences:
              - apiVersion: apps/v1
                blockOwnerDeletion: true
                controller: true
                kind: ReplicaSet
                name: coredns-674b8bbfcf
                uid: d108902f-bf2f-448d-ac7c-a79d979aa579
              resourceVersion: "402"
              uid: 5425fa5d-941e-41a7-9466-eabf6351fa3c
            spec:
              affinity:
                podAntiAffinity:
                  preferredDuringSchedulingIgnoredDuringExecution:
                  - podAffinityTerm:
                      labelSelector:
                        matchExpressions:
                        - key: k8s-app
                          operator: In
                          values:
                          - kube-dns
                      topologyKey: kubernetes.io/hostname
                    weight: 100
              containers:
              - args:
                - -conf
                - /etc/coredns/Corefile
                image: registry.k8s.io/coredns/coredns:v1.12.0
                imagePullPolicy: IfNotPresent
                livenessProbe:
                  failureThreshold: 5
                  httpGet:
                    path: /health
                    port: 8080
                    scheme: HTTP
                  initialDelaySeconds: 60
                  periodSeconds: 10
                  successThreshold: 1
                  timeoutSeconds: 5
                name: coredns
                ports:
                - containerPort: 53
                  name: dns
                  protocol: UDP
                - containerPort: 53
                  name: dns-tcp
                  protocol: TCP
                - containerPort: 9153
                  name: metrics
                  protocol: TCP
                readinessProbe:
                  failureThreshold: 3
                  httpGet:
                    path: /ready
                    port: 8181
                    scheme: HTTP
                  periodSeconds: 10
                  successThreshold: 1
                  timeoutSeconds: 1
                resources:
                  limits:
                    memory: 170Mi
                  requests:
                    cpu: 100m
                    memory: 70Mi
                securityContext:
                  allowPrivilegeEscalation: false
                  capabilities:
                    add:
                    - NET_BIND_SERVICE
                    drop:
                    - ALL
                  readOnlyRootFilesystem: true
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /etc/coredns
                  name: config-volume
                  readOnly: true
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-9gsbr
                  readOnly: true
              dnsPolicy: Default
              enableServiceLinks: true
              nodeName: w1-k8s
              nodeSelector:
                kubernetes.io/os: linux
              preemptionPolicy: PreemptLowerPriority
              priority: 2000000000
              priorityClassName: system-cluster-critical
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext: {}
              serviceAccount: coredns
              serviceAccountName: coredns
              terminationGracePeriodSeconds: 30
              tolerations:
              - key: CriticalAddonsOnly
                operator: Exists
              - effect: NoSchedule
                key: node-role.kubernetes.io/control-plane
              - effect: NoExecute
                key: node.kubernetes.io/not-ready
                operator: Exists
                tolerationSeconds: 300
              - effect: NoExecute
                key: node.kubernetes.io/unreachable
                operator: Exists
                tolerationSeconds: 300
              volumes:
              - configMap:
                  defaultMode: 420
                  items:
                  - key: Corefile
                    path: Corefile
                  name: coredns
                name: config-volume
              - name: kube-api-access-9gsbr
                projected:
                  defaultMode: 420
                  sources:
                  - serviceAccountToken:
                      expirationSeconds: 3607
                      path: token
                  - configMap:
                      items:
                      - key: ca.crt
                        path: ca.crt
                      name: kube-root-ca.crt
                  - downwardAPI:
                      items:
                      - fieldRef:
                          apiVersion: v1
                          fieldPath: metadata.namespace
                        path: namespace
            status:
              conditions:
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:48Z"
                status: "True"
                type: PodReadyToStartContainers
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:46Z"
                status: "True"
                type: Initialized
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:46Z"
                status: "True"
                type: Ready
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:46Z"
                status: "True"
                type: ContainersReady
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:46Z"
                status: "True"
                type: PodScheduled
              containerStatuses:
              - allocatedResources:
                  cpu: 100m
                  memory: 70Mi
                containerID: fakeRuntime://coredns-674b8bbfcf-457kt_kube-system_5425fa5d-941e-41a7-9466-eabf6351fa3c_0_coredns_0
                image: registry.k8s.io/coredns/coredns:v1.12.0
                imageID: registry.k8s.io/coredns/coredns:v1.12.0
                lastState: {}
                name: coredns
                ready: true
                resources:
                  limits:
                    memory: 170Mi
                  requests:
                    cpu: 100m
                    memory: 70Mi
                restartCount: 0
                state:
                  running:
                    startedAt: "2026-11-22T13:49:48Z"
                volumeMounts:
                - mountPath: /etc/coredns
                  name: config-volume
                  readOnly: true
                  recursiveReadOnly: Disabled
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-9gsbr
                  readOnly: true
                  recursiveReadOnly: Disabled
              hostIP: 127.0.0.1
              hostIPs:
              - ip: 127.0.0.1
              phase: Running
              podIP: 192.168.192.168
              podIPs:
              - ip: 192.168.192.168
              qosClass: Burstable
              startTime: "2026-11-22T13:49:46Z"
            """),
            Map.entry("kube-system-etcd-m-k8s", """
            apiVersion: v1
            kind: Pod
            metadata:
              annotations:
                kubeadm.kubernetes.io/etcd.advertise-client-urls: https://192.0.2.2:2379
                kubernetes.io/config.hash: a925f31c840ad773ec640ed7201bee9a
                kubernetes.io/config.mirror: a925f31c840ad773ec640ed7201bee9a
                kubernetes.io/config.seen: "2026-11-22T13:49:40.099638514Z"
                kubernetes.io/config.source: file
              creationTimestamp: "2026-11-22T13:49:40Z"
              generation: 1
              labels:
                component: etcd
                tier: control-plane
              name: etcd-m-k8s
              namespace: kube-system
              ownerReferences:
              - apiVersion: v1
                controller: true
                kind: Node
                name: m-k8s
                uid: 04284d91-f080-4268-ba06-eba548e67e4c
              resourceVersion: "277"
              uid: 1cb1e085-7e7c-4cb4-aeb0-8446ed409e18
            spec:
              containers:
              - command:
                - etcd
                - --advertise-client-urls=https://192.0.2.2:2379
                - --cert-file=/etc/kubernetes/pki/etcd/server.crt
                - --client-cert-auth=true
                - --data-dir=/var/lib/etcd
                - --experimental-initial-corrupt-check=true
                - --experimental-watch-progress-notify-interval=5s
                - --initial-advertise-peer-urls=https://192.0.2.2:2380
                - --initial-cluster=m-k8s=https://192.0.2.2:2380
                - --key-file=/etc/kubernetes/pki/etcd/server.key
                - --listen-client-urls=https://127.0.0.1:2379,https://192.0.2.2:2379
                - --listen-metrics-urls=http://127.0.0.1:2381
                - --listen-peer-urls=https://192.0.2.2:2380
                - --name=m-k8s
                - --peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt
                - --peer-client-cert-auth=true
                - --peer-key-file=/etc/kubernetes/pki/etcd/peer.key
                - --peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
                - --snapshot-count=10000
                - --trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt
                image: registry.k8s.io/etcd:3.5.24-0
                imagePullPolicy: IfNotPresent
                livenessProbe:
                  failureThreshold: 8
                  httpGet:
                    host: 127.0.0.1
                    path: /livez
                    port: 2381
                    scheme: HTTP
                  initialDelaySeconds: 10
                  periodSeconds: 10
                  successThreshold: 1
                  timeoutSeconds: 15
                name: etcd
                readinessProbe:
                  failureThreshold: 3
                  httpGet:
                    host: 127.0.0.1
                    path: /readyz
                    port: 2381
                    scheme: HTTP
                  periodSeconds: 1
                  successThreshold: 1
                  timeoutSeconds: 15
                resources:
                  requests:
                    cpu: 100m
                    memory: 100Mi
                startupProbe:
                  failureThreshold: 24
                  httpGet:
                    host: 127.0.0.1
                    path: /readyz
                    port: 2381
                    scheme: HTTP
                  initialDelaySeconds: 10
                  periodSeconds: 10
                  successThreshold: 1
                  timeoutSeconds: 15
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /var/lib/etcd
                  name: etcd-data
                - mountPath: /etc/kubernetes/pki/etcd
                  name: etcd-certs
              dnsPolicy: ClusterFirst
              enableServiceLinks: true
              hostNetwork: true
              nodeName: m-k8s
              preemptionPolicy: PreemptLowerPriority
              priority: 2000001000
              priorityClassName: system-node-critical
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext:
                seccompProfile:
                  type: RuntimeDefault
              terminationGracePeriodSeconds: 30
              tolerations:
              - effect: NoExecute
                operator: Exists
              volumes:
              - hostPath:
                  path: /etc/kubernetes/pki/etcd
                  type: DirectoryOrCreate
                name: etcd-certs
              - hostPath:
                  path: /var/lib/etcd
                  type: DirectoryOrCreate
                name: etcd-data
            status:
              conditions:
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:41Z"
                status: "True"
                type: PodReadyToStartContainers
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:40Z"
                status: "True"
                type: Initialized
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:40Z"
                status: "True"
                type: Ready
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:40Z"
                status: "True"
                type: ContainersReady
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:40Z"
                status: "True"
                type: PodScheduled
              containerStatuses:
              - allocatedResources:
                  cpu: 100m
                  memory: 100Mi
                containerID: fakeRuntime://etcd-m-k8s_kube-system_a925f31c840ad773ec640ed7201bee9a_0_etcd_0
                image: registry.k8s.io/etcd:3.5.24-0
                imageID: registry.k8s.io/etcd:3.5.24-0
                lastState: {}
                name: etcd
                ready: true
                resources:
                  requests:
                    cpu: 100m
                    memory: 100Mi
                restartCount: 0
                state:
                  running:
                    startedAt: "2026-11-22T13:49:40Z"
                volumeMounts:
                - mountPath: /var/lib/etcd
                  name: etcd-data
                - mountPath: /etc/kubernetes/pki/etcd
                  name: etcd-certs
              hostIP: 127.0.0.1
              hostIPs:
              - ip: 127.0.0.1
              phase: Running
              podIP: 192.168.192.168
              podIPs:
              - ip: 192.168.192.168
              qosClass: Burstable
              startTime: "2026-11-22T13:49:40Z"
            """),
            Map.entry("kube-system-kube-apiserver-m-k8s", """
            apiVersion: v1
            kind: Pod
            metadata:
              annotations:
                kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: 192.0.2.2:16443
                kubernetes.io/config.hash: 4ac8ad8e574cde9f667f7a3661940ca9
                kubernetes.io/config.mirror: 4ac8ad8e574cde9f667f7a3661940ca9
                kubernetes.io/config.seen: "2026-11-22T13:49:40.099645785Z"
                kubernetes.io/config.source: file
              creationTimestamp: "2026-11-22T13:49:40Z"
              generation: 1
              labels:
                component: kube-apiserver
                tier: control-plane
              name: kube-apiserver-m-k8s
              namespace: kube-system
              ownerReferences:
              - apiVersion: v1
                controller: true
                kind: Node
                name: m-k8s
                uid: 04284d91-f080-4268-ba06-eba548e67e4c
              resourceVersion: "272"
              uid: 5b8a52db-67b9-41d3-8599-ab5155512b45
            spec:
              containers:
              - command:
                - kube-apiserver
                - --advertise-address=192.0.2.2
                - --allow-privileged=true
                - --authorization-mode=Node,RBAC
                - --client-ca-file=/etc/kubernetes/pki/ca.crt
                - --enable-admission-plugins=NodeRestriction
                - --enable-bootstrap-token-auth=true
                - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
                - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
                - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
                - --etcd-servers=https://127.0.0.1:2379
                - --kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt
                - --kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key
                - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
                - --proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt
                - --proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key
                - --requestheader-allowed-names=front-proxy-client
                - --requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt
                - --requestheader-extra-headers-prefix=X-Remote-Extra-
                - --requestheader-group-headers=X-Remote-Group
                - --requestheader-username-headers=X-Remote-User
                - --secure-port=16443
                - --service-account-issuer=https://kubernetes.default.svc.cluster.local
                - --service-account-key-file=/etc/kubernetes/pki/sa.pub
                - --service-account-signing-key-file=/etc/kubernetes/pki/sa.key
                - --service-cluster-ip-range=10.96.0.0/12
                - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
                - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
                image: registry.k8s.io/kube-apiserver:v1.33.13
                imagePullPolicy: IfNotPresent
                livenessProbe:
                  failureThreshold: 8
                  httpGet:
                    host: 127.0.0.1
                    path: /livez
                    port: 16443
                    scheme: HTTPS
                  initialDelaySeconds: 10
                  periodSeconds: 10
                  successThreshold: 1
                  timeoutSeconds: 15
                name: kube-apiserver
                readinessProbe:
                  failureThreshold: 3
                  httpGet:
                    host: 127.0.0.1
                    path: /readyz
                    port: 16443
                    scheme: HTTPS
                  periodSeconds: 1
                  successThreshold: 1
                  timeoutSeconds: 15
                resources:
                  requests:
                    cpu: 250m
                startupProbe:
                  failureThreshold: 24
                  httpGet:
                    host: 127.0.0.1
                    path: /livez
                    port: 16443
                    scheme: HTTPS
                  initialDelaySeconds: 10
                  periodSeconds: 10
                  successThreshold: 1
                  timeoutSeconds: 15
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /etc/ssl/certs
                  name: ca-certs
                  readOnly: true
                - mountPath: /etc/ca-certificates
                  name: etc-ca-certificates
                  readOnly: true
                - mountPath: /etc/kubernetes/pki
                  name: k8s-certs
                  readOnly: true
                - mountPath: /usr/local/share/ca-certificates
                  name: usr-local-share-ca-certificates
                  readOnly: true
                - mountPath: /usr/share/ca-certificates
                  name: usr-share-ca-certificates
                  readOnly: true
              dnsPolicy: ClusterFirst
              enableServiceLinks: true
              hostNetwork: true
              nodeName: m-k8s
              preemptionPolicy: PreemptLowerPriority
              priority: 2000001000
              priorityClassName: system-node-critical
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext:
                seccompProfile:
                  type: RuntimeDefault
              terminationGracePeriodSeconds: 30
              tolerations:
              - effect: NoExecute
                operator: Exists
              volumes:
              - hostPath:
                  path: /etc/ssl/certs
                  type: DirectoryOrCreate
                name: ca-certs
              - hostPath:
                  path: /etc/ca-certificates
                  type: DirectoryOrCreate
                name: etc-ca-certificates
              - hostPath:
                  path: /etc/kubernetes/pki
                  type: DirectoryOrCreate
                name: k8s-certs
              - hostPath:
                  path: /usr/local/share/ca-certificates
                  type: DirectoryOrCreate
                name: usr-local-share-ca-certificates
              - hostPath:
                  path: /usr/share/ca-certificates
                  type: DirectoryOrCreate
                name: usr-share-ca-certificates
            status:
              conditions:
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:41Z"
                status: "True"
                type: PodReadyToStartContainers
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:40Z"
                status: "True"
                type: Initialized
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:40Z"
                status: "True"
                type: Ready
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:40Z"
                status: "True"
                type: ContainersReady
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:40Z"
                status: "True"
                type: PodScheduled
              containerStatuses:
              - allocatedResources:
                  cpu: 250m
                containerID: fakeRuntime://kube-apiserver-m-k8s_kube-system_4ac8ad8e574cde9f667f7a3661940ca9_0_kube-apiserver_0
                image: registry.k8s.io/kube-apiserver:v1.33.13
                imageID: registry.k8s.io/kube-apiserver:v1.33.13
                lastState: {}
                name: kube-apiserver
                ready: true
                resources:
                  requests:
                    cpu: 250m
                restartCount: 0
                state:
                  running:
                    startedAt: "2026-11-22T13:49:40Z"
                volumeMounts:
                - mountPath: /etc/ssl/certs
                  name: ca-certs
                  readOnly: true
                  recursiveReadOnly: Disabled
                - mountPath: /etc/ca-certificates
                  name: etc-ca-certificates
                  readOnly: true
                  recursiveReadOnly: Disabled
                - mountPath: /etc/kubernetes/pki
                  name: k8s-certs
                  readOnly: true
                  recursiveReadOnly: Disabled
                - mountPath: /usr/local/share/ca-certificates
                  name: usr-local-share-ca-certificates
                  readOnly: true
                  recursiveReadOnly: Disabled
                - mountPath: /usr/share/ca-certificates
                  name: usr-share-ca-certificates
                  readOnly: true
                  recursiveReadOnly: Disabled
              hostIP: 127.0.0.1
              hostIPs:
              - ip: 127.0.0.1
              phase: Running
              podIP: 192.168.192.168
              podIPs:
              - ip: 192.168.192.168
              qosClass: Burstable
              startTime: "2026-11-22T13:49:40Z"
            """),
            Map.entry("kube-system-kube-proxy-24qtd", """
            apiVersion: v1
            kind: Pod
            metadata:
              creationTimestamp: "2026-11-22T13:49:46Z"
              generateName: kube-proxy-
              generation: 1
              labels:
                controller-revision-hash: 84977d7f4c
                k8s-app: kube-proxy
                pod-template-generation: "1"
              name: kube-proxy-24qtd
              namespace: kube-system
              ownerReferences:
              - apiVersion: apps/v1
                blockOwnerDeletion: true
                controller: true
                kind: DaemonSet
                name: kube-proxy
                uid: 852e17bc-f2d0-4a27-8635-284ecbd306fe
              resourceVersion: "395"
              uid: e8fe34b9-e150-4673-9abc-0bc6f0d7a7ed
            spec:
              affinity:
                nodeAffinity:
                  requiredDuringSchedulingIgnoredDuringExecution:
                    nodeSelectorTerms:
                    - matchFields:
                      - key: metadata.name
                        operator: In
                        values:
                        - w2-k8s
              containers:
              - command:
                - /usr/local/bin/kube-proxy
                - --config=/var/lib/kube-proxy/config.conf
                - --hostname-override=$(NODE_NAME)
                env:
                - name: NODE_NAME
                  valueFrom:
                    fieldRef:
                      apiVersion: v1
                      fieldPath: spec.nodeName
                image: registry.k8s.io/kube-proxy:v1.33.13
                imagePullPolicy: IfNotPresent
                name: kube-proxy
                resources: {}
                securityContext:
                  privileged: true
                terminationMessagePath: /dev/termination-log
                terminationMessagePolicy: File
                volumeMounts:
                - mountPath: /var/lib/kube-proxy
                  name: kube-proxy
                - mountPath: /run/xtables.lock
                  name: xtables-lock
                - mountPath: /lib/modules
                  name: lib-modules
                  readOnly: true
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-lnc4m
                  readOnly: true
              dnsPolicy: ClusterFirst
              enableServiceLinks: true
              hostNetwork: true
              nodeName: w2-k8s
              nodeSelector:
                kubernetes.io/os: linux
              preemptionPolicy: PreemptLowerPriority
              priority: 2000001000
              priorityClassName: system-node-critical
              restartPolicy: Always
              schedulerName: default-scheduler
              securityContext: {}
              serviceAccount: kube-proxy
              serviceAccountName: kube-proxy
              terminationGracePeriodSeconds: 30
              tolerations:
              - operator: Exists
              - effect: NoExecute
                key: node.kubernetes.io/not-ready
                operator: Exists
              - effect: NoExecute
                key: node.kubernetes.io/unreachable
                operator: Exists
              - effect: NoSchedule
                key: node.kubernetes.io/disk-pressure
                operator: Exists
              - effect: NoSchedule
                key: node.kubernetes.io/memory-pressure
                operator: Exists
              - effect: NoSchedule
                key: node.kubernetes.io/pid-pressure
                operator: Exists
              - effect: NoSchedule
                key: node.kubernetes.io/unschedulable
                operator: Exists
              - effect: NoSchedule
                key: node.kubernetes.io/network-unavailable
                operator: Exists
              volumes:
              - configMap:
                  defaultMode: 420
                  name: kube-proxy
                name: kube-proxy
              - hostPath:
                  path: /run/xtables.lock
                  type: FileOrCreate
                name: xtables-lock
              - hostPath:
                  path: /lib/modules
                  type: ""
                name: lib-modules
              - name: kube-api-access-lnc4m
                projected:
                  defaultMode: 420
                  sources:
                  - serviceAccountToken:
                      expirationSeconds: 3607
                      path: token
                  - configMap:
                      items:
                      - key: ca.crt
                        path: ca.crt
                      name: kube-root-ca.crt
                  - downwardAPI:
                      items:
                      - fieldRef:
                          apiVersion: v1
                          fieldPath: metadata.namespace
                        path: namespace
            status:
              conditions:
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:47Z"
                status: "True"
                type: PodReadyToStartContainers
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:46Z"
                status: "True"
                type: Initialized
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:46Z"
                status: "True"
                type: Ready
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:46Z"
                status: "True"
                type: ContainersReady
              - lastProbeTime: null
                lastTransitionTime: "2026-11-22T13:49:46Z"
                status: "True"
                type: PodScheduled
              containerStatuses:
              - containerID: fakeRuntime://kube-proxy-24qtd_kube-system_e8fe34b9-e150-4673-9abc-0bc6f0d7a7ed_0_kube-proxy_0
                image: registry.k8s.io/kube-proxy:v1.33.13
                imageID: registry.k8s.io/kube-proxy:v1.33.13
                lastState: {}
                name: kube-proxy
                ready: true
                resources: {}
                restartCount: 0
                state:
                  running:
                    startedAt: "2026-11-22T13:49:47Z"
                volumeMounts:
                - mountPath: /var/lib/kube-proxy
                  name: kube-proxy
                - mountPath: /run/xtables.lock
                  name: xtables-lock
                - mountPath: /lib/modules
                  name: lib-modules
                  readOnly: true
                  recursiveReadOnly: Disabled
                - mountPath: /var/run/secrets/kubernetes.io/serviceaccount
                  name: kube-api-access-lnc4m
                  readOnly: true
                  recursiveReadOnly: Disabled
              hostIP: 127.0.0.1
              hostIPs:
              - ip: 127.0.0.1
              phase: Running
              podIP: 192.168.192.168
              podIPs:
              - ip: 192.168.192.168
              qosClass: BestEffort
              startTime: "2026-11-22T13:49:46Z"
            """));
}
