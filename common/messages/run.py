"""The scripts' own lines: errors, a part not written yet, divergence, stopping, the test's figures."""

MESSAGES = {
    # --lang, in every command's --help
    "help_lang": {
        "en": "language of the messages and --help: en (the default) or ja; without it, a Japanese locale "
              "(LANG=ja_JP.UTF-8) chooses ja",
        "ja": "メッセージと --help の言語: en（既定）か ja。指定しなければ日本語ロケール（LANG=ja_JP.UTF-8）で ja になります",
    },
    # common/errors.py: how a run ends on a user mistake
    "error": {
        "en": "error: {message}",
        "ja": "エラー: {message}",
    },
    "interrupted": {
        "en": "interrupted",
        "ja": "中断しました",
    },
    "not_implemented_at_todo": {
        "en": "not implemented yet: {what} (see the TODO at {place})",
        "ja": "未実装: {what}（{place} の TODO を埋めてください）",
    },
    "not_implemented_raised_at": {
        "en": "not implemented yet: {what} (raised at {place})",
        "ja": "未実装: {what}（{place} で送出）",
    },
    "not_implemented": {
        "en": "not implemented yet: {what}",
        "ja": "未実装: {what}",
    },
    # common/watch.py: a loss or a weight that is no longer a number
    "loss_not_finite": {
        "en": "{name} became {value} at iteration {iteration}: {advice}",
        "ja": "{name} が {iteration} 回目の反復で {value} になりました: {advice}",
    },
    "weights_not_finite": {
        "en": "{name} holds NaN or infinity at iteration {iteration} and these weights were not saved: {advice}",
        "ja": "{iteration} 回目の反復で {name} が NaN か無限大を含んだため、この重みは保存していません: {advice}",
    },
    "outputs_not_finite": {
        "en": "the network's outputs became NaN or infinite at iteration {iteration}: {advice}",
        "ja": "{iteration} 回目の反復でネットワークの出力が NaN か無限大になりました: {advice}",
    },
    "advice_early": {
        "en": "so early points to the code, not the learning rate: gradients never cleared (zero_grad() / "
              "cleargrads()), a log or a division by 0, a missing activation; `python -m common.check` names such "
              "mistakes; if your code passes it, try {lower}",
        "ja": "ここまで早い発散は学習率ではなくコードの誤りを示します。勾配を消していない（zero_grad() / "
              "cleargrads()）、0 の log や 0 による割り算、活性化関数の付け忘れなどです。`python -m common.check` "
              "がこうした誤りを指摘します。チェッカーを通るなら {lower} を試してください",
    },
    "advice_lower_lr": {
        "en": "training diverged, the learning rate {lr} is too high for this run; try {lower}",
        "ja": "学習が発散しました。この実行には学習率 {lr} が大きすぎます。{lower} を試してください",
    },
    "diverged_and_kept": {
        "en": "{message}. {note}",
        "ja": "{message}。{note}",
    },
    "checkpoint_kept": {
        "en": "The checkpoint of iteration {iteration} is kept",
        "ja": "{iteration} 回目の反復のチェックポイントは残してあります",
    },
    "no_checkpoint_yet": {
        "en": "No checkpoint was saved before it",
        "ja": "それまでにチェックポイントは保存されていません",
    },
}
