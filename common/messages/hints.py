"""The skeletons' hints in Japanese, and the names of their missing parts.

An answer script marks each part a learner writes with `# exercise: <part> -- <hint>`;
tools/make_exercises.py writes under it, in the skeleton, `# 課題: <部分> -- <ヒント>` from here:

    "part: <part>"                        the part's name; common/errors.part_name shows it in the
                                          "未実装: ..." line when a skeleton reaches its raise
    "hint: <framework>/<model>: <part>"   the hint of that marker; "en" is the hint exactly as the
                                          answer writes it, so a changed hint stops the tool until
                                          its translation is changed too

The tool stops, naming the key to add, when a marker has no entry here. Like every message, the
texts are str.format templates: write a brace of the code as {{ or }}.
"""

MESSAGES = {
    # ----- the parts, in the not-implemented line and the 課題 line
    "part: the layers": {"en": "the layers", "ja": "層の定義"},
    "part: the forward pass": {"en": "the forward pass", "ja": "順伝播"},
    "part: the training step": {"en": "the training step", "ja": "学習ステップ"},
    "part: the auto-encoder": {"en": "the auto-encoder", "ja": "オートエンコーダ"},
    "part: the BatchNorm helper": {"en": "the BatchNorm helper", "ja": "バッチ正規化の補助関数"},
    "part: the conv helper": {"en": "the conv helper", "ja": "畳み込みの補助関数"},
    "part: the deconv helper": {"en": "the deconv helper", "ja": "転置畳み込みの補助関数"},
    "part: G's layers": {"en": "G's layers", "ja": "生成器 G の層の定義"},
    "part: G's forward pass": {"en": "G's forward pass", "ja": "生成器 G の順伝播"},
    "part: D's layers": {"en": "D's layers", "ja": "識別器 D の層の定義"},
    "part: D's forward pass": {"en": "D's forward pass", "ja": "識別器 D の順伝播"},
    "part: the generator": {"en": "the generator", "ja": "生成器 G"},
    "part: the discriminator": {"en": "the discriminator", "ja": "識別器 D"},
    "part: the minibatch spread": {"en": "the minibatch spread", "ja": "ミニバッチ標準偏差"},
    "part: D's step": {"en": "D's step", "ja": "識別器 D の更新"},
    "part: G's step": {"en": "G's step", "ja": "生成器 G の更新"},
    "part: the iteration": {"en": "the iteration", "ja": "1 反復分の学習"},
    # ----- pytorch/ae.py
    "hint: pytorch/ae: the layers": {
        "en": "nn.Linear encoder: H*W*C -> AE_CODE_SIZE, decoder: back (names = weight names)",
        "ja": "nn.Linear でエンコーダ encoder（H*W*C -> AE_CODE_SIZE）とデコーダ decoder（その逆）を作る（属性名がそのまま重みの名前になる）",
    },
    "hint: pytorch/ae: the forward pass": {
        "en": "flatten to (N, H*W*C), encoder, decoder, view as images.shape; no activation",
        "ja": "(N, H*W*C) に平坦化して encoder、decoder の順に通し、view で images.shape に戻す。活性化関数は使わない",
    },
    "hint: pytorch/ae: the training step": {
        "en": 'model.train(); MSE(model(x), x); zero_grad, backward, step; {{"loss": loss.item()}}',
        "ja": 'model.train() のあと MSE(model(x), x) を求め、zero_grad、backward、step。戻り値は {{"loss": loss.item()}}',
    },
    # ----- pytorch/convae.py
    "hint: pytorch/convae: the layers": {
        "en": "conv1, conv2: 3x3 Conv2d, padding 1 (32, 16); deconv1, deconv2: 2x2 stride 2 (64, C)",
        "ja": "conv1, conv2: 3x3 の Conv2d、padding 1（出力チャネル数 32, 16）。deconv1, deconv2: 2x2、ストライド 2 の転置畳み込み（64, C）",
    },
    "hint: pytorch/convae: the forward pass": {
        "en": "(conv, ReLU, 2x2 max-pool) twice on NCHW; deconv1 + ReLU; deconv2, no activation",
        "ja": "NCHW のまま（畳み込み、ReLU、2x2 の最大プーリング）を 2 回。deconv1 + ReLU。deconv2 のあとに活性化関数は付けない",
    },
    "hint: pytorch/convae: the training step": {
        "en": "model.train(); images_to_tensor (NHWC -> NCHW); MSE(model(x), x); zero_grad, backward, step",
        "ja": "model.train()。images_to_tensor で NHWC -> NCHW に変換し、MSE(model(x), x) を求めて zero_grad、backward、step",
    },
    # ----- pytorch/gan.py
    "hint: pytorch/gan: the BatchNorm helper": {
        "en": "nn.BatchNorm1d, eps and momentum from common.architectures (shared by all four)",
        "ja": "nn.BatchNorm1d。eps と momentum は common.architectures の値を使う（4 つのフレームワークで共通）",
    },
    "hint: pytorch/gan: G's layers": {
        "en": "dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm() (the weight names)",
        "ja": "全結合層 dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C。bn1..3 = batchnorm()（この名前が重みの名前になる）",
    },
    "hint: pytorch/gan: G's forward pass": {
        "en": "dense, LeakyReLU(0.2), then BN, x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC",
        "ja": "dense、LeakyReLU(0.2)、バッチ正規化を 3 回繰り返し、dense4 + tanh（sigmoid ではない。出力は [-1, 1]）。最後に NHWC の画像へ",
    },
    "hint: pytorch/gan: D's layers": {
        "en": "dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D",
        "ja": "全結合層 dense1..3: H*W*C -> 512 -> 256 -> 1。識別器 D にはバッチ正規化を入れない",
    },
    "hint: pytorch/gan: D's forward pass": {
        "en": "flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)",
        "ja": "平坦化し、dense + LeakyReLU(0.2) を 2 回。dense3 + sigmoid で (N, 1) を出力",
    },
    "hint: pytorch/gan: D's step": {
        "en": "fakes detached (no gradient into G); BCE on real+fake; zero D's gradients; step D only",
        "ja": "偽画像は detach する（生成器 G に勾配を流さない）。本物と偽物の BCE を求め、D の勾配をゼロにして D だけを更新する",
    },
    "hint: pytorch/gan: G's step": {
        "en": "freeze D (requires_grad_(False)); BCE(D(fakes), ones); zero G's gradients; step G; unfreeze D",
        "ja": "識別器 D を凍結し（requires_grad_(False)）、BCE(D(fakes), ones) を求める。G の勾配をゼロにして G を更新し、D の凍結を解く",
    },
    "hint: pytorch/gan: the iteration": {
        "en": "model.train(); G's forward pass once; D's step on the fakes, then G's step on the same fakes",
        "ja": "model.train()。G の順伝播は 1 回だけ。その偽画像で D を更新し、続いて同じ偽画像で G を更新する",
    },
    # ----- pytorch/dcgan.py
    "hint: pytorch/dcgan: the BatchNorm helper": {
        "en": "nn.BatchNorm2d, eps and momentum from common.architectures (shared by all four)",
        "ja": "nn.BatchNorm2d。eps と momentum は common.architectures の値を使う（4 つのフレームワークで共通）",
    },
    "hint: pytorch/dcgan: the deconv helper": {
        "en": "5x5 stride 2, padding=2, output_padding=1: doubles the size, aligned as common/weights.py",
        "ja": "5x5、ストライド 2、padding=2、output_padding=1 の転置畳み込みでサイズを 2 倍にする（位置合わせは common/weights.py のとおり）",
    },
    "hint: pytorch/dcgan: the conv helper": {
        "en": "5x5 stride 2, padding=2: halves the size",
        "ja": "5x5、ストライド 2、padding=2 の畳み込みでサイズを半分にする",
    },
    "hint: pytorch/dcgan: G's layers": {
        "en": "side = size // 16; dense: NOISE_DIM -> side*side*512; bn0..3 + deconv1..4 (512, 256, 128, C)",
        "ja": "side = size // 16。全結合層 dense: NOISE_DIM -> side*side*512。bn0..3 と転置畳み込み deconv1..4（出力チャネル数 512, 256, 128, C）",
    },
    "hint: pytorch/dcgan: G's forward pass": {
        "en": "ReLU(dense); view (N, side, side, 512), permute to NCHW; bn0; BN(ReLU(deconv)) x3; tanh",
        "ja": "ReLU(dense)。(N, side, side, 512) に view してから permute で NCHW に並べ替え、bn0。BN(ReLU(deconv)) を 3 回。最後に tanh",
    },
    "hint: pytorch/dcgan: D's layers": {
        "en": "conv1..4 = conv() (32, 64, 128, 256 channels); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)",
        "ja": "conv1..4 = conv()（出力チャネル数 32, 64, 128, 256）。dense: (size // 16)^2 * 256 + 1 -> 1（+ 1 はミニバッチ標準偏差の分）",
    },
    "hint: pytorch/dcgan: D's forward pass": {
        "en": "conv + LeakyReLU(0.2) x4; permute to NHWC before flattening (weight order); append minibatch_spread; sigmoid",
        "ja": "conv + LeakyReLU(0.2) を 4 回。平坦化の前に permute で NHWC に並べ替える（重みの並び順に合わせるため）。minibatch_spread を付け加え、sigmoid",
    },
    "hint: pytorch/dcgan: the minibatch spread": {
        "en": "groups of math.gcd(N, SPREAD_GROUP) neighbours (view); sqrt(biased variance over a group + SPREAD_EPSILON), mean over features; repeat_interleave to (N, 1)",
        "ja": "隣り合う math.gcd(N, SPREAD_GROUP) 枚ずつのグループに分け（view）、グループ内の標本分散（N で割る）+ SPREAD_EPSILON の sqrt を特徴ごとに求めて特徴について平均する。repeat_interleave で (N, 1) に",
    },
    "hint: pytorch/dcgan: D's step": {
        "en": "fakes detached (no gradient into G); BCE on real+fake; zero D's gradients; step D only",
        "ja": "偽画像は detach する（生成器 G に勾配を流さない）。本物と偽物の BCE を求め、D の勾配をゼロにして D だけを更新する",
    },
    "hint: pytorch/dcgan: G's step": {
        "en": "freeze D (requires_grad_(False)); BCE(D(fakes), ones); zero G's gradients; step G; unfreeze D",
        "ja": "識別器 D を凍結し（requires_grad_(False)）、BCE(D(fakes), ones) を求める。G の勾配をゼロにして G を更新し、D の凍結を解く",
    },
    "hint: pytorch/dcgan: the iteration": {
        "en": "model.train(); G's forward pass once; D's step on the fakes, then G's step on the same fakes",
        "ja": "model.train()。G の順伝播は 1 回だけ。その偽画像で D を更新し、続いて同じ偽画像で G を更新する",
    },
    # ----- tensorflow/ae.py
    "hint: tensorflow/ae: the layers": {
        "en": "Dense (tf_support) encoder: H*W*C -> AE_CODE_SIZE, decoder: back (names = weight names)",
        "ja": "tf_support の Dense でエンコーダ encoder（H*W*C -> AE_CODE_SIZE）とデコーダ decoder（その逆）を作る（属性名がそのまま重みの名前になる）",
    },
    "hint: tensorflow/ae: the forward pass": {
        "en": "reshape to (N, -1) (tf.shape: N varies), encoder, decoder, reshape to tf.shape(images)",
        "ja": "(N, -1) に reshape し（N は変わりうるので tf.shape を使う）、encoder、decoder の順に通して tf.shape(images) に reshape で戻す",
    },
    "hint: tensorflow/ae: the training step": {
        "en": "MSE under a tf.GradientTape; optimizer.apply(tape.gradient(loss, optimizer.parameters))",
        "ja": "tf.GradientTape の中で MSE を求め、optimizer.apply(tape.gradient(loss, optimizer.parameters)) で更新する",
    },
    # ----- tensorflow/convae.py
    "hint: tensorflow/convae: the layers": {
        "en": "conv1, conv2: 3x3 Conv2D, padding 1 (32, 16); deconv1, deconv2: 2x2 stride 2 (64, C)",
        "ja": "conv1, conv2: 3x3 の Conv2D、padding 1（出力チャネル数 32, 16）。deconv1, deconv2: 2x2、ストライド 2 の転置畳み込み（64, C）",
    },
    "hint: tensorflow/convae: the forward pass": {
        "en": '(conv, ReLU, max_pool2d 2x2 "VALID") twice, all NHWC; deconv1 + ReLU; deconv2 alone',
        "ja": '（畳み込み、ReLU、2x2 の max_pool2d "VALID"）を 2 回。すべて NHWC のまま。deconv1 + ReLU。deconv2 は活性化関数なし',
    },
    "hint: tensorflow/convae: the training step": {
        "en": "MSE under a tf.GradientTape; optimizer.apply(tape.gradient(loss, optimizer.parameters))",
        "ja": "tf.GradientTape の中で MSE を求め、optimizer.apply(tape.gradient(loss, optimizer.parameters)) で更新する",
    },
    # ----- tensorflow/gan.py
    "hint: tensorflow/gan: the BatchNorm helper": {
        "en": "BatchNorm of tf_like_pytorch, eps and running_rate from common.architectures",
        "ja": "tf_like_pytorch の BatchNorm。eps と running_rate（移動平均統計量の更新率）は common.architectures の値を使う",
    },
    "hint: tensorflow/gan: G's layers": {
        "en": "dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm() (the weight names)",
        "ja": "全結合層 dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C。bn1..3 = batchnorm()（この名前が重みの名前になる）",
    },
    "hint: tensorflow/gan: G's forward pass": {
        "en": "dense, LeakyReLU, then BN(x, training), x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC",
        "ja": "dense、LeakyReLU、BN(x, training) を 3 回繰り返し、dense4 + tanh（sigmoid ではない。出力は [-1, 1]）。最後に NHWC の画像へ",
    },
    "hint: tensorflow/gan: D's layers": {
        "en": "dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D",
        "ja": "全結合層 dense1..3: H*W*C -> 512 -> 256 -> 1。識別器 D にはバッチ正規化を入れない",
    },
    "hint: tensorflow/gan: D's forward pass": {
        "en": "flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)",
        "ja": "平坦化し、dense + LeakyReLU(0.2) を 2 回。dense3 + sigmoid で (N, 1) を出力",
    },
    "hint: tensorflow/gan: D's step": {
        "en": "fakes: tf.stop_gradient (no graph into G); a tape for D; BCE on real+fake; update D only",
        "ja": "偽画像には tf.stop_gradient（生成器 G への計算グラフを切る）。D 用のテープの中で本物と偽物の BCE を求め、D だけを更新する",
    },
    "hint: tensorflow/gan: G's step": {
        "en": "resume generator_tape (`with generator_tape:`); BCE(D(fakes), 1s); gradient for G's variables",
        "ja": "generator_tape を再開し（`with generator_tape:`）、BCE(D(fakes), 1s) を求めて G の変数についての勾配をとる",
    },
    "hint: tensorflow/gan: the iteration": {
        "en": "a tape watching G's variables only; G's forward pass on it once; D's step, then G's",
        "ja": "G の変数だけを監視するテープを作り、その中で G の順伝播を 1 回だけ行う。D を更新してから G を更新する",
    },
    # ----- tensorflow/dcgan.py
    "hint: tensorflow/dcgan: the BatchNorm helper": {
        "en": "BatchNorm of tf_like_pytorch, eps and running_rate from common.architectures",
        "ja": "tf_like_pytorch の BatchNorm。eps と running_rate（移動平均統計量の更新率）は common.architectures の値を使う",
    },
    "hint: tensorflow/dcgan: the deconv helper": {
        "en": "5x5 stride 2, crop=(2, 1): doubles the size with PyTorch's alignment (common/weights.py)",
        "ja": "5x5、ストライド 2、crop=(2, 1) の転置畳み込みで、PyTorch と同じ位置合わせのままサイズを 2 倍にする（common/weights.py）",
    },
    "hint: tensorflow/dcgan: the conv helper": {
        "en": '5x5 stride 2, padding=2 on every side (TF\'s "SAME" pads 1 before, 2 after)',
        "ja": '5x5、ストライド 2、上下左右に padding=2（TF の "SAME" では前に 1、後ろに 2 のパディングになってしまう）',
    },
    "hint: tensorflow/dcgan: G's layers": {
        "en": "side = size // 16; dense: NOISE_DIM -> side*side*512; bn0..3 + deconv1..4 (512, 256, 128, C)",
        "ja": "side = size // 16。全結合層 dense: NOISE_DIM -> side*side*512。bn0..3 と転置畳み込み deconv1..4（出力チャネル数 512, 256, 128, C）",
    },
    "hint: tensorflow/dcgan: G's forward pass": {
        "en": "ReLU(dense); reshape to (N, side, side, 512): no permute; BN(x, training) after ReLUs; tanh",
        "ja": "ReLU(dense)。(N, side, side, 512) に reshape（permute は要らない）。ReLU のあとに BN(x, training)。最後に tanh",
    },
    "hint: tensorflow/dcgan: D's layers": {
        "en": "conv1..4 = conv() (32, 64, 128, 256 channels); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)",
        "ja": "conv1..4 = conv()（出力チャネル数 32, 64, 128, 256）。dense: (size // 16)^2 * 256 + 1 -> 1（+ 1 はミニバッチ標準偏差の分）",
    },
    "hint: tensorflow/dcgan: D's forward pass": {
        "en": "conv + leaky_relu x4; flatten NHWC as it is (the weight order); append minibatch_spread; dense + sigmoid",
        "ja": "conv + leaky_relu を 4 回。NHWC のまま平坦化する（重みの並び順に合わせるため）。minibatch_spread を付け加え、dense + sigmoid",
    },
    "hint: tensorflow/dcgan: the minibatch spread": {
        "en": "groups of math.gcd(N, SPREAD_GROUP) neighbours (reshape); sqrt(reduce_variance over a group + SPREAD_EPSILON), mean over features; tf.repeat to (N, 1)",
        "ja": "隣り合う math.gcd(N, SPREAD_GROUP) 枚ずつのグループに分け（reshape）、グループ内の reduce_variance + SPREAD_EPSILON の sqrt を特徴ごとに求めて特徴について平均する。tf.repeat で (N, 1) に",
    },
    "hint: tensorflow/dcgan: D's step": {
        "en": "fakes: tf.stop_gradient (no graph into G); a tape for D; BCE on real+fake; update D only",
        "ja": "偽画像には tf.stop_gradient（生成器 G への計算グラフを切る）。D 用のテープの中で本物と偽物の BCE を求め、D だけを更新する",
    },
    "hint: tensorflow/dcgan: G's step": {
        "en": "resume generator_tape (`with generator_tape:`); BCE(D(fakes), 1s); gradient for G's variables",
        "ja": "generator_tape を再開し（`with generator_tape:`）、BCE(D(fakes), 1s) を求めて G の変数についての勾配をとる",
    },
    "hint: tensorflow/dcgan: the iteration": {
        "en": "a tape watching G's variables only; G's forward pass on it once; D's step, then G's",
        "ja": "G の変数だけを監視するテープを作り、その中で G の順伝播を 1 回だけ行う。D を更新してから G を更新する",
    },
    # ----- keras/ae.py
    "hint: keras/ae: the auto-encoder": {
        "en": 'Sequential: Input, Flatten, Dense named "encoder" (AE_CODE_SIZE) and "decoder", Reshape',
        "ja": 'Sequential で Input、Flatten、名前が "encoder" の Dense（AE_CODE_SIZE）と "decoder" の Dense、Reshape を並べる',
    },
    "hint: keras/ae: the training step": {
        "en": 'train_on_batch(images, images, return_dict=True): the target is the input; {{"loss": float}}',
        "ja": 'train_on_batch(images, images, return_dict=True): 教師信号は入力そのもの。戻り値は {{"loss": float}}',
    },
    # ----- keras/convae.py
    "hint: keras/convae: the auto-encoder": {
        "en": '(Conv2D 3x3 "same" relu, MaxPooling2D) x2 (32, 16); Conv2DTranspose 2x2 stride 2 (64 relu, C)',
        "ja": '（Conv2D 3x3 "same" relu、MaxPooling2D）を 2 回（フィルタ数 32, 16）。Conv2DTranspose 2x2、ストライド 2（64 で relu、続いて C）',
    },
    "hint: keras/convae: the training step": {
        "en": 'train_on_batch(images, images, return_dict=True): the target is the input; {{"loss": float}}',
        "ja": 'train_on_batch(images, images, return_dict=True): 教師信号は入力そのもの。戻り値は {{"loss": float}}',
    },
    # ----- keras/gan.py
    "hint: keras/gan: the generator": {
        "en": "dense1..4 + LeakyReLU(0.2) (not the layer's 0.3), BatchNorm bn1..3 (keras_like_pytorch); tanh",
        "ja": "dense1..4 + LeakyReLU(0.2)（レイヤーの既定値 0.3 ではない）、バッチ正規化 bn1..3（keras_like_pytorch）。出力は tanh",
    },
    "hint: keras/gan: the discriminator": {
        "en": 'Flatten; Dense + LeakyReLU(0.2), twice (dense1, 2); Dense(1, "sigmoid", name="dense3")',
        "ja": 'Flatten。Dense + LeakyReLU(0.2) を 2 回（dense1, 2）。Dense(1, "sigmoid", name="dense3")',
    },
    "hint: keras/gan: D's step": {
        "en": "stop_gradient on the fakes; a GradientTape; BCE on real+fake; update D's variables",
        "ja": "偽画像に stop_gradient。GradientTape の中で本物と偽物の BCE を求め、D の変数を更新する",
    },
    "hint: keras/gan: G's step": {
        "en": "resume generator_tape; BCE(D(fakes), ones), training=True; G's trainable_variables only",
        "ja": "generator_tape を再開し、training=True で BCE(D(fakes), ones) を求める。更新するのは G の trainable_variables だけ",
    },
    "hint: keras/gan: the iteration": {
        "en": "unpack (real_images, noise); G once, on a tape; D's step, G's step; the metrics",
        "ja": "(real_images, noise) を取り出し、テープの中で G を 1 回だけ通す。D の更新、G の更新のあと、メトリクスを返す",
    },
    # ----- keras/dcgan.py
    "hint: keras/dcgan: the deconv helper": {
        "en": 'Conv2DTranspose 5x5 stride 2 "valid", then Cropping2D 2 before, 1 after ("same": 1 pixel off)',
        "ja": 'Conv2DTranspose 5x5、ストライド 2、"valid" のあと、Cropping2D で前を 2、後ろを 1 切り落とす（"same" では 1 ピクセルずれる）',
    },
    "hint: keras/dcgan: the conv helper": {
        "en": 'ZeroPadding2D(2), then Conv2D 5x5 stride 2 ("same" pads 1 before, 2 after)',
        "ja": 'ZeroPadding2D(2) のあとに Conv2D 5x5、ストライド 2（"same" では前に 1、後ろに 2 のパディングになってしまう）',
    },
    "hint: keras/dcgan: the generator": {
        "en": 'Dense(side*side*512, "relu", name="dense"), Reshape; BatchNorm bn0..3 + deconv1..4; tanh last',
        "ja": 'Dense(side*side*512, "relu", name="dense")、Reshape。バッチ正規化 bn0..3 と転置畳み込み deconv1..4。最後に tanh',
    },
    "hint: keras/dcgan: the minibatch spread": {
        "en": "groups of math.gcd(N, SPREAD_GROUP) neighbours (ops.reshape); sqrt(ops.var over a group + SPREAD_EPSILON), mean over features; ops.repeat, concatenate to (N, F + 1)",
        "ja": "隣り合う math.gcd(N, SPREAD_GROUP) 枚ずつのグループに分け（ops.reshape）、グループ内の ops.var + SPREAD_EPSILON の sqrt を特徴ごとに求めて特徴について平均する。ops.repeat し、連結して (N, F + 1) に",
    },
    "hint: keras/dcgan: the discriminator": {
        "en": 'conv() + LeakyReLU(0.2) x4 (conv1..4: 32, 64, 128, 256); Flatten; MinibatchSpread(); Dense(1, "sigmoid")',
        "ja": 'conv() + LeakyReLU(0.2) を 4 回（conv1..4: 32, 64, 128, 256）。Flatten、MinibatchSpread()、Dense(1, "sigmoid")',
    },
    "hint: keras/dcgan: D's step": {
        "en": "stop_gradient on the fakes; a GradientTape; BCE on real+fake; update D's variables",
        "ja": "偽画像に stop_gradient。GradientTape の中で本物と偽物の BCE を求め、D の変数を更新する",
    },
    "hint: keras/dcgan: G's step": {
        "en": "resume generator_tape; BCE(D(fakes), ones), training=True; G's trainable_variables only",
        "ja": "generator_tape を再開し、training=True で BCE(D(fakes), ones) を求める。更新するのは G の trainable_variables だけ",
    },
    "hint: keras/dcgan: the iteration": {
        "en": "unpack (real_images, noise); G once, on a tape; D's step, G's step; the metrics",
        "ja": "(real_images, noise) を取り出し、テープの中で G を 1 回だけ通す。D の更新、G の更新のあと、メトリクスを返す",
    },
    # ----- chainer/ae.py
    "hint: chainer/ae: the layers": {
        "en": "L.Linear encoder (H*W*C -> AE_CODE_SIZE), decoder (back), made in `with self.init_scope():`",
        "ja": "L.Linear でエンコーダ encoder（H*W*C -> AE_CODE_SIZE）とデコーダ decoder（その逆）を `with self.init_scope():` の中で作る",
    },
    "hint: chainer/ae: the forward pass": {
        "en": "encoder (L.Linear flattens), decoder, F.reshape to images.shape; no activation",
        "ja": "encoder（L.Linear が平坦化してくれる）、decoder の順に通し、F.reshape で images.shape に戻す。活性化関数は使わない",
    },
    "hint: chainer/ae: the training step": {
        "en": "on_device_of; MSE(model(x), x); model.cleargrads() (gradients add up), backward, update",
        "ja": "on_device_of でモデルと同じデバイスへ送り、MSE(model(x), x) を求めて model.cleargrads()（勾配は累積される）、backward、update",
    },
    # ----- chainer/convae.py
    "hint: chainer/convae: the layers": {
        "en": "in init_scope: Convolution2D 3x3 pad 1 (32, 16); Deconvolution2D 2x2 stride 2 (64, C)",
        "ja": "init_scope の中で Convolution2D 3x3、pad 1（出力チャネル数 32, 16）と Deconvolution2D 2x2、ストライド 2（64, C）を作る",
    },
    "hint: chainer/convae: the forward pass": {
        "en": "(conv, ReLU, max_pooling_2d 2 with cover_all=False) x2; deconv1 + ReLU; deconv2 alone",
        "ja": "（畳み込み、ReLU、cover_all=False の max_pooling_2d 2）を 2 回。deconv1 + ReLU。deconv2 は活性化関数なし",
    },
    "hint: chainer/convae: the training step": {
        "en": "images_to_tensor (NHWC -> NCHW); MSE(model(x), x); model.cleargrads(), backward, update",
        "ja": "images_to_tensor で NHWC -> NCHW に変換し、MSE(model(x), x) を求めて model.cleargrads()、backward、update",
    },
    # ----- chainer/gan.py
    "hint: chainer/gan: the BatchNorm helper": {
        "en": "L.BatchNormalization, eps from common.architectures, decay = 1 - BATCHNORM_RUNNING_RATE",
        "ja": "L.BatchNormalization。eps は common.architectures の値、decay（移動平均統計量の減衰率）= 1 - BATCHNORM_RUNNING_RATE",
    },
    "hint: chainer/gan: G's layers": {
        "en": "in init_scope: dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C; bn1..3 = batchnorm()",
        "ja": "init_scope の中で全結合層 dense1..4: NOISE_DIM -> 256 -> 512 -> 1024 -> H*W*C と bn1..3 = batchnorm() を作る",
    },
    "hint: chainer/gan: G's forward pass": {
        "en": "dense, LeakyReLU(0.2), then BN, x3; dense4 + tanh (not sigmoid: [-1, 1]); to NHWC",
        "ja": "dense、LeakyReLU(0.2)、バッチ正規化を 3 回繰り返し、dense4 + tanh（sigmoid ではない。出力は [-1, 1]）。最後に NHWC の画像へ",
    },
    "hint: chainer/gan: D's layers": {
        "en": "in init_scope: dense1..3: H*W*C -> 512 -> 256 -> 1; no BatchNorm in D",
        "ja": "init_scope の中で全結合層 dense1..3: H*W*C -> 512 -> 256 -> 1 を作る。識別器 D にはバッチ正規化を入れない",
    },
    "hint: chainer/gan: D's forward pass": {
        "en": "flatten; dense + LeakyReLU(0.2), twice; dense3 + sigmoid -> (N, 1)",
        "ja": "平坦化し、dense + LeakyReLU(0.2) を 2 回。dense3 + sigmoid で (N, 1) を出力",
    },
    "hint: chainer/gan: D's step": {
        "en": "the fakes' .array (no graph into G); BCE on real+fake; D.cleargrads(); update D",
        "ja": "偽画像は .array を使う（生成器 G への計算グラフを切る）。本物と偽物の BCE を求め、D.cleargrads() してから D を更新する",
    },
    "hint: chainer/gan: G's step": {
        "en": "BCE(D(fakes), ones); G.cleargrads(); chainer.grad for G's params only (D frozen); update G",
        "ja": "BCE(D(fakes), ones) を求めて G.cleargrads()。chainer.grad で G のパラメータだけの勾配をとり（D は固定）、G を更新する",
    },
    "hint: chainer/gan: the iteration": {
        "en": "G's forward pass once; D's step on the fakes, then G's step on the same fakes",
        "ja": "G の順伝播は 1 回だけ。その偽画像で D を更新し、続いて同じ偽画像で G を更新する",
    },
    # ----- chainer/dcgan.py
    "hint: chainer/dcgan: the BatchNorm helper": {
        "en": "L.BatchNormalization, eps from common.architectures, decay = 1 - BATCHNORM_RUNNING_RATE",
        "ja": "L.BatchNormalization。eps は common.architectures の値、decay（移動平均統計量の減衰率）= 1 - BATCHNORM_RUNNING_RATE",
    },
    "hint: chainer/dcgan: the deconv helper": {
        "en": "Deconvolution2D 5x5 stride 2, pad=2, outsize=(2n, 2n) for input side n: PyTorch's alignment",
        "ja": "Deconvolution2D 5x5、ストライド 2、pad=2。入力の一辺が n なら outsize=(2n, 2n) とし、PyTorch と同じ位置合わせにする",
    },
    "hint: chainer/dcgan: the conv helper": {
        "en": "Convolution2D 5x5 stride 2, pad=2: halves the size",
        "ja": "Convolution2D 5x5、ストライド 2、pad=2 でサイズを半分にする",
    },
    "hint: chainer/dcgan: G's layers": {
        "en": "in init_scope: dense NOISE_DIM -> side*side*512 (side = size // 16); bn0..3 + deconv1..4",
        "ja": "init_scope の中で全結合層 dense: NOISE_DIM -> side*side*512（side = size // 16）、bn0..3 と転置畳み込み deconv1..4 を作る",
    },
    "hint: chainer/dcgan: G's forward pass": {
        "en": "ReLU(dense); reshape (N, side, side, 512), transpose to NCHW; bn0; BN(ReLU(deconv)) x3; tanh",
        "ja": "ReLU(dense)。(N, side, side, 512) に reshape してから transpose で NCHW に並べ替え、bn0。BN(ReLU(deconv)) を 3 回。最後に tanh",
    },
    "hint: chainer/dcgan: D's layers": {
        "en": "in init_scope: conv1..4 = conv() (32, 64, 128, 256); dense: (size // 16)^2 * 256 + 1 -> 1 (+ 1: the spread)",
        "ja": "init_scope の中で conv1..4 = conv()（32, 64, 128, 256）と dense: (size // 16)^2 * 256 + 1 -> 1（+ 1 はミニバッチ標準偏差の分）を作る",
    },
    "hint: chainer/dcgan: D's forward pass": {
        "en": "conv + LeakyReLU(0.2) x4; transpose to NHWC before flattening (weight order); append minibatch_spread; sigmoid",
        "ja": "conv + LeakyReLU(0.2) を 4 回。平坦化の前に transpose で NHWC に並べ替える（重みの並び順に合わせるため）。minibatch_spread を付け加え、sigmoid",
    },
    "hint: chainer/dcgan: the minibatch spread": {
        "en": "groups of np.gcd(N, SPREAD_GROUP) neighbours (F.reshape); sqrt(biased variance over a group + SPREAD_EPSILON), mean over features; F.repeat to (N, 1)",
        "ja": "隣り合う np.gcd(N, SPREAD_GROUP) 枚ずつのグループに分け（F.reshape）、グループ内の標本分散（N で割る）+ SPREAD_EPSILON の sqrt を特徴ごとに求めて特徴について平均する。F.repeat で (N, 1) に",
    },
    "hint: chainer/dcgan: D's step": {
        "en": "the fakes' .array (no graph into G); BCE on real+fake; D.cleargrads(); update D",
        "ja": "偽画像は .array を使う（生成器 G への計算グラフを切る）。本物と偽物の BCE を求め、D.cleargrads() してから D を更新する",
    },
    "hint: chainer/dcgan: G's step": {
        "en": "BCE(D(fakes), ones); G.cleargrads(); chainer.grad for G's params only (D frozen); update G",
        "ja": "BCE(D(fakes), ones) を求めて G.cleargrads()。chainer.grad で G のパラメータだけの勾配をとり（D は固定）、G を更新する",
    },
    "hint: chainer/dcgan: the iteration": {
        "en": "G's forward pass once; D's step on the fakes, then G's step on the same fakes",
        "ja": "G の順伝播は 1 回だけ。その偽画像で D を更新し、続いて同じ偽画像で G を更新する",
    },
}
