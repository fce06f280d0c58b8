package org.pimopt.zoo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.pimopt.ir.NetworkBuilder;
import org.pimopt.ir.NetworkSpec;
import org.pimopt.ir.VectorOp;

/**
 * The built-in networks, written from their published architectures. Inference only: dropout is an
 * identity, batch norm a per-channel scale and shift. Node names follow torchvision's module paths
 * ({@code layer1.0.conv1}, {@code features.3.squeeze}) so that a layer in a plan can be found in the
 * PyTorch model; nodes that are functional calls in PyTorch (residual adds, concatenations, the
 * flatten before the classifier) get names in the style of torch.fx ({@code layer1.0.add},
 * {@code layer1.0.relu_1}).
 *
 * <p>{@link ZooGenerator} writes these to {@code models/networks/}; {@code ZooTest} checks the
 * files against the parameter and MAC counts torchvision publishes.
 */
public final class ZooNetworks {
    private ZooNetworks() {}

    private static final String IMAGE = "3x224x224";
    private static final int CLASSES = 1000;

    /** Every network by file name, in the order of {@code models/networks/index.txt}. */
    public static Map<String, Supplier<NetworkSpec>> all() {
        Map<String, Supplier<NetworkSpec>> zoo = new LinkedHashMap<>();
        zoo.put("lenet5", ZooNetworks::lenet5);
        zoo.put("alexnet", ZooNetworks::alexnet);
        zoo.put("vgg11", ZooNetworks::vgg11);
        zoo.put("vgg16", ZooNetworks::vgg16);
        zoo.put("vgg19", ZooNetworks::vgg19);
        zoo.put("resnet18", ZooNetworks::resnet18);
        zoo.put("resnet34", ZooNetworks::resnet34);
        zoo.put("resnet50", ZooNetworks::resnet50);
        zoo.put("squeezenet1_0", ZooNetworks::squeezenet1_0);
        zoo.put("squeezenet1_1", ZooNetworks::squeezenet1_1);
        zoo.put("mobilenet_v2", ZooNetworks::mobilenetV2);
        zoo.put("googlenet", ZooNetworks::googlenet);
        zoo.put("densenet121", ZooNetworks::densenet121);
        zoo.put("bert-base", ZooNetworks::bertBase);
        zoo.put("vit-b16", ZooNetworks::vitB16);
        return zoo;
    }

    /** Names the children of a PyTorch {@code nn.Sequential}: {@code prefix.0}, {@code prefix.1}, ... */
    private static final class Sequential {
        private final String prefix;
        private int next;

        Sequential(String prefix) {
            this.prefix = prefix;
        }

        String next() {
            return prefix + "." + next++;
        }
    }

    // ----- LeNet-5 -----

    /**
     * The classic LeNet-5 of LeCun et al. (1998) on a 32x32 grey image: tanh activations and 2x2
     * average pooling (the paper's subsampling, without its trainable coefficients), C3 fully
     * connected to S2 rather than the paper's partial connection table, and a plain linear output
     * instead of the RBF layer, as in the usual modern rendition.
     */
    public static NetworkSpec lenet5() {
        var b = new NetworkBuilder("lenet5")
                .description("LeNet-5: two 5x5 convs with tanh and 2x2 average pooling, then FC 120-84-10; 32x32 grey input")
                .source("LeCun et al., Gradient-Based Learning Applied to Document Recognition, Proc. IEEE 1998");
        String x = b.input("input", "1x32x32");
        x = b.conv("conv1", x, 6, 5, 1, 0, true);        // 6x28x28
        x = b.act("tanh1", "tanh", x);
        x = b.avgPool("pool1", x, 2, 2, 0, false);        // 6x14x14
        x = b.conv("conv2", x, 16, 5, 1, 0, true);       // 16x10x10
        x = b.act("tanh2", "tanh", x);
        x = b.avgPool("pool2", x, 2, 2, 0, false);        // 16x5x5
        x = b.flatten("flatten", x);                      // 400
        x = b.linear("fc1", x, 120, true);
        x = b.act("tanh3", "tanh", x);
        x = b.linear("fc2", x, 84, true);
        x = b.act("tanh4", "tanh", x);
        x = b.linear("fc3", x, 10, true);
        return b.output(x).build();
    }

    // ----- AlexNet -----

    public static NetworkSpec alexnet() {
        var b = new NetworkBuilder("alexnet")
                .description("AlexNet (torchvision): five convs, three max pools, three FC layers with dropout")
                .source("Krizhevsky, One weird trick for parallelizing convolutional neural networks, 2014; torchvision.models.alexnet");
        String x = b.input("input", IMAGE);
        var f = new Sequential("features");
        x = b.conv(f.next(), x, 64, 11, 4, 2, true);
        x = b.relu(f.next(), x);
        x = b.maxPool(f.next(), x, 3, 2, 0, false);
        x = b.conv(f.next(), x, 192, 5, 1, 2, true);
        x = b.relu(f.next(), x);
        x = b.maxPool(f.next(), x, 3, 2, 0, false);
        x = b.conv(f.next(), x, 384, 3, 1, 1, true);
        x = b.relu(f.next(), x);
        x = b.conv(f.next(), x, 256, 3, 1, 1, true);
        x = b.relu(f.next(), x);
        x = b.conv(f.next(), x, 256, 3, 1, 1, true);
        x = b.relu(f.next(), x);
        x = b.maxPool(f.next(), x, 3, 2, 0, false);
        x = b.adaptiveAvgPool("avgpool", x, 6, 6);
        x = b.flatten("flatten", x);
        var c = new Sequential("classifier");
        x = b.dropout(c.next(), x);
        x = b.linear(c.next(), x, 4096, true);
        x = b.relu(c.next(), x);
        x = b.dropout(c.next(), x);
        x = b.linear(c.next(), x, 4096, true);
        x = b.relu(c.next(), x);
        x = b.linear(c.next(), x, CLASSES, true);
        return b.output(x).build();
    }

    // ----- VGG -----

    /** In a VGG configuration, a 2x2 max pool; any other entry is a 3x3 conv's output channels. */
    private static final int M = 0;

    public static NetworkSpec vgg11() {
        return vgg("vgg11", "VGG-11 (configuration A)", 64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M);
    }

    public static NetworkSpec vgg16() {
        return vgg("vgg16", "VGG-16 (configuration D)", 64, 64, M, 128, 128, M, 256, 256, 256, M,
                512, 512, 512, M, 512, 512, 512, M);
    }

    public static NetworkSpec vgg19() {
        return vgg("vgg19", "VGG-19 (configuration E)", 64, 64, M, 128, 128, M, 256, 256, 256, 256, M,
                512, 512, 512, 512, M, 512, 512, 512, 512, M);
    }

    private static NetworkSpec vgg(String name, String title, int... config) {
        var b = new NetworkBuilder(name)
                .description(title + " without batch norm (torchvision): 3x3 convs with ReLU, five max pools, three FC layers")
                .source("Simonyan and Zisserman, Very Deep Convolutional Networks for Large-Scale Image Recognition, ICLR 2015; torchvision.models." + name);
        String x = b.input("input", IMAGE);
        var f = new Sequential("features");
        for (int channels : config) {
            if (channels == M) {
                x = b.maxPool(f.next(), x, 2, 2, 0, false);
            } else {
                x = b.conv(f.next(), x, channels, 3, 1, 1, true);
                x = b.relu(f.next(), x);
            }
        }
        // At 224x224 the features are already 7x7, so this pool only matters for other input sizes.
        x = b.adaptiveAvgPool("avgpool", x, 7, 7);
        x = b.flatten("flatten", x);
        var c = new Sequential("classifier");
        x = b.linear(c.next(), x, 4096, true);
        x = b.relu(c.next(), x);
        x = b.dropout(c.next(), x);
        x = b.linear(c.next(), x, 4096, true);
        x = b.relu(c.next(), x);
        x = b.dropout(c.next(), x);
        x = b.linear(c.next(), x, CLASSES, true);
        return b.output(x).build();
    }

    // ----- ResNet -----

    public static NetworkSpec resnet18() {
        return resnet("resnet18", "ResNet-18", false, 2, 2, 2, 2);
    }

    public static NetworkSpec resnet34() {
        return resnet("resnet34", "ResNet-34", false, 3, 4, 6, 3);
    }

    public static NetworkSpec resnet50() {
        return resnet("resnet50", "ResNet-50", true, 3, 4, 6, 3);
    }

    private static NetworkSpec resnet(String name, String title, boolean bottleneck, int... blocks) {
        String block = bottleneck ? "Bottleneck blocks (stride on the 3x3 conv, v1.5)" : "BasicBlocks";
        var b = new NetworkBuilder(name)
                .description(title + " (torchvision): " + block + " " + Arrays.toString(blocks)
                        + ", 1x1 conv + BN projection shortcuts")
                .source("He et al., Deep Residual Learning for Image Recognition, CVPR 2016; torchvision.models." + name);
        String x = b.input("input", IMAGE);
        x = b.conv("conv1", x, 64, 7, 2, 3, false);
        x = b.batchNorm("bn1", x);
        x = b.relu("relu", x);
        x = b.maxPool("maxpool", x, 3, 2, 1, false);
        int channels = 64;
        for (int stage = 0; stage < 4; stage++) {
            int planes = 64 << stage;
            for (int i = 0; i < blocks[stage]; i++) {
                String prefix = "layer" + (stage + 1) + "." + i;
                // The first block of stages 2-4 halves the resolution.
                int stride = stage > 0 && i == 0 ? 2 : 1;
                if (bottleneck) {
                    x = bottleneck(b, prefix, x, channels, planes, stride);
                    channels = 4 * planes;
                } else {
                    x = basicBlock(b, prefix, x, channels, planes, stride);
                    channels = planes;
                }
            }
        }
        x = b.adaptiveAvgPool("avgpool", x, 1, 1);
        x = b.flatten("flatten", x);
        x = b.linear("fc", x, CLASSES, true);
        return b.output(x).build();
    }

    /** Two 3x3 convs with a residual connection. */
    private static String basicBlock(NetworkBuilder b, String p, String x, int in, int planes, int stride) {
        String y = b.conv(p + ".conv1", x, planes, 3, stride, 1, false);
        y = b.batchNorm(p + ".bn1", y);
        y = b.relu(p + ".relu", y);
        y = b.conv(p + ".conv2", y, planes, 3, 1, 1, false);
        y = b.batchNorm(p + ".bn2", y);
        y = b.eltwise(p + ".add", "add", y, shortcut(b, p, x, in, planes, stride));
        return b.relu(p + ".relu_1", y);
    }

    /** 1x1 reduce, 3x3 (strided), 1x1 expand by 4, with a residual connection. */
    private static String bottleneck(NetworkBuilder b, String p, String x, int in, int planes, int stride) {
        String y = b.conv(p + ".conv1", x, planes, 1, 1, 0, false);
        y = b.batchNorm(p + ".bn1", y);
        y = b.relu(p + ".relu", y);
        y = b.conv(p + ".conv2", y, planes, 3, stride, 1, false);
        y = b.batchNorm(p + ".bn2", y);
        y = b.relu(p + ".relu_1", y);
        y = b.conv(p + ".conv3", y, 4 * planes, 1, 1, 0, false);
        y = b.batchNorm(p + ".bn3", y);
        y = b.eltwise(p + ".add", "add", y, shortcut(b, p, x, in, 4 * planes, stride));
        return b.relu(p + ".relu_2", y);
    }

    /** The identity, or a strided 1x1 conv + BN projection where the shape changes. */
    private static String shortcut(NetworkBuilder b, String p, String x, int in, int out, int stride) {
        if (stride == 1 && in == out) {
            return x;
        }
        String y = b.conv(p + ".downsample.0", x, out, 1, stride, 0, false);
        return b.batchNorm(p + ".downsample.1", y);
    }

    // ----- SqueezeNet -----

    public static NetworkSpec squeezenet1_0() {
        var b = new NetworkBuilder("squeezenet1_0")
                .description("SqueezeNet 1.0 (torchvision): 7x7 stem, eight Fire modules, conv classifier with global average pool")
                .source("Iandola et al., SqueezeNet: AlexNet-level accuracy with 50x fewer parameters, 2016; torchvision.models.squeezenet1_0");
        String x = b.input("input", IMAGE);
        var f = new Sequential("features");
        x = b.conv(f.next(), x, 96, 7, 2, 0, true);
        x = b.relu(f.next(), x);
        x = b.maxPool(f.next(), x, 3, 2, 0, true);
        x = fire(b, f.next(), x, 16, 64, 64);
        x = fire(b, f.next(), x, 16, 64, 64);
        x = fire(b, f.next(), x, 32, 128, 128);
        x = b.maxPool(f.next(), x, 3, 2, 0, true);
        x = fire(b, f.next(), x, 32, 128, 128);
        x = fire(b, f.next(), x, 48, 192, 192);
        x = fire(b, f.next(), x, 48, 192, 192);
        x = fire(b, f.next(), x, 64, 256, 256);
        x = b.maxPool(f.next(), x, 3, 2, 0, true);
        x = fire(b, f.next(), x, 64, 256, 256);
        return b.output(squeezenetClassifier(b, x)).build();
    }

    /** SqueezeNet 1.1: a 3x3 stem with 64 channels and earlier pooling; same accuracy, 2.4x less work. */
    public static NetworkSpec squeezenet1_1() {
        var b = new NetworkBuilder("squeezenet1_1")
                .description("SqueezeNet 1.1 (torchvision): 3x3 stem, eight Fire modules with earlier pooling, conv classifier")
                .source("Iandola et al., SqueezeNet v1.1 (github.com/forresti/SqueezeNet); torchvision.models.squeezenet1_1");
        String x = b.input("input", IMAGE);
        var f = new Sequential("features");
        x = b.conv(f.next(), x, 64, 3, 2, 0, true);
        x = b.relu(f.next(), x);
        x = b.maxPool(f.next(), x, 3, 2, 0, true);
        x = fire(b, f.next(), x, 16, 64, 64);
        x = fire(b, f.next(), x, 16, 64, 64);
        x = b.maxPool(f.next(), x, 3, 2, 0, true);
        x = fire(b, f.next(), x, 32, 128, 128);
        x = fire(b, f.next(), x, 32, 128, 128);
        x = b.maxPool(f.next(), x, 3, 2, 0, true);
        x = fire(b, f.next(), x, 48, 192, 192);
        x = fire(b, f.next(), x, 48, 192, 192);
        x = fire(b, f.next(), x, 64, 256, 256);
        x = fire(b, f.next(), x, 64, 256, 256);
        return b.output(squeezenetClassifier(b, x)).build();
    }

    /** Squeeze with a 1x1 conv, then expand with parallel 1x1 and 3x3 convs whose outputs are stacked. */
    private static String fire(NetworkBuilder b, String p, String x, int squeeze, int expand1x1, int expand3x3) {
        String s = b.conv(p + ".squeeze", x, squeeze, 1, 1, 0, true);
        s = b.relu(p + ".squeeze_activation", s);
        String e1 = b.conv(p + ".expand1x1", s, expand1x1, 1, 1, 0, true);
        e1 = b.relu(p + ".expand1x1_activation", e1);
        String e3 = b.conv(p + ".expand3x3", s, expand3x3, 3, 1, 1, true);
        e3 = b.relu(p + ".expand3x3_activation", e3);
        return b.concat(p + ".cat", 0, e1, e3);
    }

    /** A 1x1 conv to the class scores, then a global average pool: no fully connected layer. */
    private static String squeezenetClassifier(NetworkBuilder b, String x) {
        var c = new Sequential("classifier");
        x = b.dropout(c.next(), x);
        x = b.conv(c.next(), x, CLASSES, 1, 1, 0, true);
        x = b.relu(c.next(), x);
        x = b.adaptiveAvgPool(c.next(), x, 1, 1);
        return b.flatten("flatten", x);
    }

    // ----- MobileNetV2 -----

    /** Inverted residual stages of MobileNetV2: expansion t, output channels c, blocks n, first stride s. */
    private static final int[][] MOBILENET_V2_STAGES = {
        {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1},
    };

    public static NetworkSpec mobilenetV2() {
        var b = new NetworkBuilder("mobilenet_v2")
                .description("MobileNetV2 (torchvision, width 1.0): 17 inverted residual blocks with depthwise 3x3 convs and ReLU6")
                .source("Sandler et al., MobileNetV2: Inverted Residuals and Linear Bottlenecks, CVPR 2018; torchvision.models.mobilenet_v2");
        String x = b.input("input", IMAGE);
        var f = new Sequential("features");
        x = convBnRelu6(b, f.next(), x, 32, 3, 2, 1);
        int channels = 32;
        for (int[] stage : MOBILENET_V2_STAGES) {
            for (int i = 0; i < stage[2]; i++) {
                x = invertedResidual(b, f.next(), x, channels, stage[1], i == 0 ? stage[3] : 1, stage[0]);
                channels = stage[1];
            }
        }
        x = convBnRelu6(b, f.next(), x, 1280, 1, 1, 1);
        x = b.adaptiveAvgPool("avgpool", x, 1, 1);
        x = b.flatten("flatten", x);
        var c = new Sequential("classifier");
        x = b.dropout(c.next(), x);
        x = b.linear(c.next(), x, CLASSES, true);
        return b.output(x).build();
    }

    /** torchvision's Conv2dNormActivation: conv (no bias, "same" padding), BN, ReLU6 as children 0-2. */
    private static String convBnRelu6(NetworkBuilder b, String p, String x, int out, int kernel, int stride, int groups) {
        x = b.groupConv(p + ".0", x, out, kernel, stride, (kernel - 1) / 2, groups, false);
        x = b.batchNorm(p + ".1", x);
        return b.act(p + ".2", "relu6", x);
    }

    /**
     * 1x1 expansion (absent when t = 1), depthwise 3x3, then a linear 1x1 projection with BN and no
     * activation; the input is added back when the block keeps the shape.
     */
    private static String invertedResidual(NetworkBuilder b, String p, String x, int in, int out, int stride, int t) {
        int hidden = in * t;
        var conv = new Sequential(p + ".conv");
        String y = x;
        if (t != 1) {
            y = convBnRelu6(b, conv.next(), y, hidden, 1, 1, 1);
        }
        y = convBnRelu6(b, conv.next(), y, hidden, 3, stride, hidden);
        y = b.conv(conv.next(), y, out, 1, 1, 0, false);
        y = b.batchNorm(conv.next(), y);
        return stride == 1 && in == out ? b.eltwise(p + ".add", "add", x, y) : y;
    }

    // ----- GoogLeNet -----

    /**
     * torchvision's GoogLeNet without the auxiliary classifiers (they only run in training). It
     * differs from the paper in two ways that change the parameter count: every conv is followed by
     * batch norm, and the "5x5" branch of each Inception module uses a 3x3 conv.
     */
    public static NetworkSpec googlenet() {
        var b = new NetworkBuilder("googlenet")
                .description("GoogLeNet / Inception v1 (torchvision, no aux classifiers): nine Inception modules, convs with BN")
                .source("Szegedy et al., Going Deeper with Convolutions, CVPR 2015; torchvision.models.googlenet");
        String x = b.input("input", IMAGE);
        x = basicConv(b, "conv1", x, 64, 7, 2, 3);
        x = b.maxPool("maxpool1", x, 3, 2, 0, true);
        x = basicConv(b, "conv2", x, 64, 1, 1, 0);
        x = basicConv(b, "conv3", x, 192, 3, 1, 1);
        x = b.maxPool("maxpool2", x, 3, 2, 0, true);
        x = inception(b, "inception3a", x, 64, 96, 128, 16, 32, 32);
        x = inception(b, "inception3b", x, 128, 128, 192, 32, 96, 64);
        x = b.maxPool("maxpool3", x, 3, 2, 0, true);
        x = inception(b, "inception4a", x, 192, 96, 208, 16, 48, 64);
        x = inception(b, "inception4b", x, 160, 112, 224, 24, 64, 64);
        x = inception(b, "inception4c", x, 128, 128, 256, 24, 64, 64);
        x = inception(b, "inception4d", x, 112, 144, 288, 32, 64, 64);
        x = inception(b, "inception4e", x, 256, 160, 320, 32, 128, 128);
        x = b.maxPool("maxpool4", x, 2, 2, 0, true);
        x = inception(b, "inception5a", x, 256, 160, 320, 32, 128, 128);
        x = inception(b, "inception5b", x, 384, 192, 384, 48, 128, 128);
        x = b.adaptiveAvgPool("avgpool", x, 1, 1);
        x = b.flatten("flatten", x);
        x = b.dropout("dropout", x);
        x = b.linear("fc", x, CLASSES, true);
        return b.output(x).build();
    }

    /** torchvision's BasicConv2d: conv without bias, BN, ReLU. */
    private static String basicConv(NetworkBuilder b, String p, String x, int out, int kernel, int stride, int pad) {
        x = b.conv(p + ".conv", x, out, kernel, stride, pad, false);
        x = b.batchNorm(p + ".bn", x);
        return b.relu(p + ".relu", x);
    }

    /** Four parallel branches stacked on the channel axis: 1x1; 1x1 then 3x3; 1x1 then 3x3; pool then 1x1. */
    private static String inception(NetworkBuilder b, String p, String x, int ch1x1, int ch3x3red, int ch3x3,
                                    int ch5x5red, int ch5x5, int poolProj) {
        String b1 = basicConv(b, p + ".branch1", x, ch1x1, 1, 1, 0);
        String b2 = basicConv(b, p + ".branch2.0", x, ch3x3red, 1, 1, 0);
        b2 = basicConv(b, p + ".branch2.1", b2, ch3x3, 3, 1, 1);
        String b3 = basicConv(b, p + ".branch3.0", x, ch5x5red, 1, 1, 0);
        b3 = basicConv(b, p + ".branch3.1", b3, ch5x5, 3, 1, 1);   // 3x3 in torchvision, 5x5 in the paper
        String b4 = b.maxPool(p + ".branch4.0", x, 3, 1, 1, true);
        b4 = basicConv(b, p + ".branch4.1", b4, poolProj, 1, 1, 0);
        return b.concat(p + ".cat", 0, b1, b2, b3, b4);
    }

    // ----- DenseNet -----

    private static final int DENSENET_GROWTH = 32;
    /** Width of a dense layer's 1x1 bottleneck, in multiples of the growth rate. */
    private static final int DENSENET_BN_SIZE = 4;

    public static NetworkSpec densenet121() {
        var b = new NetworkBuilder("densenet121")
                .description("DenseNet-121 (torchvision): dense blocks of 6, 12, 24, 16 layers, growth 32, transitions halving channels")
                .source("Huang et al., Densely Connected Convolutional Networks, CVPR 2017; torchvision.models.densenet121");
        String x = b.input("input", IMAGE);
        x = b.conv("features.conv0", x, 64, 7, 2, 3, false);
        x = b.batchNorm("features.norm0", x);
        x = b.relu("features.relu0", x);
        x = b.maxPool("features.pool0", x, 3, 2, 1, false);
        int channels = 64;
        int[] blocks = {6, 12, 24, 16};
        for (int i = 0; i < blocks.length; i++) {
            String block = "features.denseblock" + (i + 1);
            for (int j = 1; j <= blocks[i]; j++) {
                String grown = denseLayer(b, block + ".denselayer" + j, x);
                // torchvision concatenates the list of all earlier outputs at the start of each
                // layer; appending each new output once gives the same tensors with fewer edges.
                x = b.concat(block + ".cat" + j, 0, x, grown);
                channels += DENSENET_GROWTH;
            }
            if (i + 1 < blocks.length) {
                channels /= 2;
                x = transition(b, "features.transition" + (i + 1), x, channels);
            }
        }
        x = b.batchNorm("features.norm5", x);
        x = b.relu("relu", x);
        x = b.adaptiveAvgPool("avgpool", x, 1, 1);
        x = b.flatten("flatten", x);
        x = b.linear("classifier", x, CLASSES, true);
        return b.output(x).build();
    }

    /** BN-ReLU-1x1 conv to 4 x growth, BN-ReLU-3x3 conv to growth; returns only the new channels. */
    private static String denseLayer(NetworkBuilder b, String p, String x) {
        x = b.batchNorm(p + ".norm1", x);
        x = b.relu(p + ".relu1", x);
        x = b.conv(p + ".conv1", x, DENSENET_BN_SIZE * DENSENET_GROWTH, 1, 1, 0, false);
        x = b.batchNorm(p + ".norm2", x);
        x = b.relu(p + ".relu2", x);
        return b.conv(p + ".conv2", x, DENSENET_GROWTH, 3, 1, 1, false);
    }

    /** BN-ReLU-1x1 conv to {@code out} channels, then a 2x2 average pool. */
    private static String transition(NetworkBuilder b, String p, String x, int out) {
        x = b.batchNorm(p + ".norm", x);
        x = b.relu(p + ".relu", x);
        x = b.conv(p + ".conv", x, out, 1, 1, 0, false);
        return b.avgPool(p + ".pool", x, 2, 2, 0, false);
    }

    // ----- Transformers -----

    private static final int HIDDEN = 768;
    private static final int HEADS = 12;
    private static final int HEAD_DIM = HIDDEN / HEADS;
    private static final int MLP = 3072;
    private static final int DEPTH = 12;

    /**
     * The 12-layer BERT-base encoder stack on a {@code seq x 768} sequence of hidden states: the
     * embeddings (a table lookup, no crossbar work) and the pooler are left out, and so is the
     * attention mask (an addition that does not change the cost). Names follow Hugging Face's
     * BertModel.
     */
    public static NetworkSpec bertBase() {
        var b = new NetworkBuilder("bert-base")
                .description("BERT-base encoder (no embeddings, no pooler): 12 post-LN layers, hidden 768, 12 heads, FFN 3072, GELU")
                .source("Devlin et al., BERT: Pre-training of Deep Bidirectional Transformers, NAACL 2019; Hugging Face transformers BertModel (bert-base-uncased)")
                .symbol("seq", 128, "tokens per sequence");
        String x = b.input("hidden", "seqx" + HIDDEN);
        for (int i = 0; i < DEPTH; i++) {
            x = bertLayer(b, "encoder.layer." + i, x);
        }
        return b.output(x).build();
    }

    /** Post-LN: attention, add, LayerNorm, then feed-forward, add, LayerNorm. */
    private static String bertLayer(NetworkBuilder b, String p, String x) {
        String q = b.linear(p + ".attention.self.query", x, HIDDEN, true);
        String k = b.linear(p + ".attention.self.key", x, HIDDEN, true);
        String v = b.linear(p + ".attention.self.value", x, HIDDEN, true);
        String context = attention(b, p + ".attention.self", q, k, v, true);
        String a = b.linear(p + ".attention.output.dense", context, HIDDEN, true);
        a = b.dropout(p + ".attention.output.dropout", a);
        a = b.eltwise(p + ".attention.output.add", "add", a, x);
        a = b.layerNorm(p + ".attention.output.LayerNorm", a);
        String h = b.linear(p + ".intermediate.dense", a, MLP, true);
        h = b.act(p + ".intermediate.intermediate_act_fn", "gelu", h);
        String o = b.linear(p + ".output.dense", h, HIDDEN, true);
        o = b.dropout(p + ".output.dropout", o);
        o = b.eltwise(p + ".output.add", "add", o, a);
        return b.layerNorm(p + ".output.LayerNorm", o);
    }

    /**
     * Scaled dot-product attention of already projected {@code tokens x 768} queries, keys and
     * values, split into 12 heads of 64: softmax(Q K^T / 8) V per head, heads merged back into
     * {@code tokens x 768}. Both products multiply two activations, so they are vector work
     * (MatMul), not crossbar layers.
     */
    private static String attention(NetworkBuilder b, String p, String q, String k, String v, boolean probsDropout) {
        String qh = b.transpose(p + ".query_heads", b.reshape(p + ".query_split", q, -1, HEADS, HEAD_DIM), 1, 0, 2);
        // Keys go straight to heads x 64 x tokens: the transpose of K^T is folded into this one.
        String kt = b.transpose(p + ".key_heads_t", b.reshape(p + ".key_split", k, -1, HEADS, HEAD_DIM), 1, 2, 0);
        String vh = b.transpose(p + ".value_heads", b.reshape(p + ".value_split", v, -1, HEADS, HEAD_DIM), 1, 0, 2);
        String scores = b.matmul(p + ".scores", qh, kt);                    // heads x tokens x tokens
        // The constant is 1/sqrt(64) = 1/8; a file holds shapes, not values.
        String scale = b.parameter(p + ".scale_factor", "1", false);
        scores = b.eltwise(p + ".scale", "mul", scores, scale);
        String probs = b.softmax(p + ".softmax", scores, -1);
        if (probsDropout) {
            probs = b.dropout(p + ".dropout", probs);
        }
        String context = b.matmul(p + ".context", probs, vh);               // heads x tokens x 64
        context = b.transpose(p + ".context_tokens", context, 1, 0, 2);     // tokens x heads x 64
        return b.reshape(p + ".context_merge", context, -1, HIDDEN);
    }

    /**
     * torchvision's vit_b_16 at 224x224: 16x16 patches (196 tokens) plus a class token, 12 pre-LN
     * encoder blocks, classification from the class token. torchvision's attention projects Q, K
     * and V with one 768 -> 2304 in_proj; here they are three 768 -> 768 linears holding the same
     * weights, which is also how they map onto crossbars.
     */
    public static NetworkSpec vitB16() {
        var b = new NetworkBuilder("vit-b16")
                .description("ViT-B/16 (torchvision vit_b_16): 16x16 patches + class token (197 tokens), 12 pre-LN blocks, hidden 768, 12 heads, MLP 3072")
                .source("Dosovitskiy et al., An Image is Worth 16x16 Words, ICLR 2021; torchvision.models.vit_b_16");
        String x = b.input("input", IMAGE);
        x = b.conv("conv_proj", x, HIDDEN, 16, 16, 0, true);           // 768x14x14
        x = b.reshape("reshape", x, HIDDEN, -1);                       // 768x196
        x = b.transpose("permute", x, 1, 0);                           // 196x768
        String classToken = b.parameter("class_token", "1x" + HIDDEN, true);
        x = b.concat("cat", 0, classToken, x);                          // 197x768
        String position = b.parameter("encoder.pos_embedding", "197x" + HIDDEN, true);
        x = b.eltwise("encoder.add", "add", x, position);
        x = b.dropout("encoder.dropout", x);
        for (int i = 0; i < DEPTH; i++) {
            x = vitEncoderBlock(b, "encoder.layers.encoder_layer_" + i, x);
        }
        x = b.layerNorm("encoder.ln", x);
        b.add("select_class_token", new VectorOp.Split(0, List.of(1, 196)), x);
        x = b.linear("heads.head", "select_class_token:0", CLASSES, true);  // 1x1000
        return b.output(x).build();
    }

    /** Pre-LN: x + attention(LN(x)), then x + MLP(LN(x)). */
    private static String vitEncoderBlock(NetworkBuilder b, String p, String x) {
        String y = b.layerNorm(p + ".ln_1", x);
        String q = b.linear(p + ".self_attention.in_proj_q", y, HIDDEN, true);
        String k = b.linear(p + ".self_attention.in_proj_k", y, HIDDEN, true);
        String v = b.linear(p + ".self_attention.in_proj_v", y, HIDDEN, true);
        // vit_b_16's attention dropout is 0, so there is no dropout on the probabilities.
        y = attention(b, p + ".self_attention", q, k, v, false);
        y = b.linear(p + ".self_attention.out_proj", y, HIDDEN, true);
        y = b.dropout(p + ".dropout", y);
        x = b.eltwise(p + ".add", "add", y, x);
        var mlp = new Sequential(p + ".mlp");
        y = b.layerNorm(p + ".ln_2", x);
        y = b.linear(mlp.next(), y, MLP, true);
        y = b.act(mlp.next(), "gelu", y);
        y = b.dropout(mlp.next(), y);
        y = b.linear(mlp.next(), y, HIDDEN, true);
        y = b.dropout(mlp.next(), y);
        return b.eltwise(p + ".add_1", "add", x, y);
    }
}
